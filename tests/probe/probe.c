/*
 * probe: a tiny static program copied into test jail roots, used by the CLI tests to look at
 * a jail from the inside without depending on what the root contains.
 *
 *   probe hostname | domainname      uname(2) nodename / domainname
 *   probe ids                        uid=U gid=G euid=U egid=G groups=G1,G2,...
 *   probe self                       pid=P ppid=P
 *   probe uid_map | gid_map          /proc/self/{uid,gid}_map
 *   probe mounts                     /proc/self/mounts
 *   probe cgroup                     /proc/self/cgroup
 *   probe loginuid                   /proc/self/loginuid (with a newline)
 *   probe cat FILE                   copies FILE to stdout
 *   probe pids                       numeric entries of /proc, sorted, one per line
 *   probe ifaces                     "IF up|down" per interface, "IF inet|inet6 ADDR" per address
 *   probe create FILE                creates FILE (O_EXCL), mode 0644
 *   probe fds                        "FD TARGET" for each open descriptor other than 0, 1, 2
 *   probe cwd                        getcwd()
 *   probe env                        the environment, one variable per line
 *   probe echo ARGS...               each argument on its own line
 *   probe ismount PATH               "yes" if PATH is a mount point (st_dev differs from ..)
 *   probe sethostname NAME           sethostname(2)
 *   probe sleep N                    sleeps N seconds
 *   probe daemon N                   forks; the parent exits 0; the child calls setsid(), closes
 *                                    every descriptor and sleeps N seconds
 *   probe stubborn N                 like daemon, but the child ignores SIGTERM
 *   probe exit N                     exits with status N
 *
 * Errors go to stderr as "probe: ..." with exit status 100.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static int fail(const char *what, const char *arg) {
    fprintf(stderr, "probe: %s%s%s: %s\n", what, arg ? " " : "", arg ? arg : "", strerror(errno));
    return 100;
}

static int need_args(int argc, int n) {
    if (argc < n) {
        fprintf(stderr, "probe: missing argument\n");
        return 0;
    }
    return 1;
}

static long number(const char *s) {
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0') {
        fprintf(stderr, "probe: not a number: %s\n", s);
        exit(100);
    }
    return v;
}

static int cat(const char *path, int add_newline) {
    char buf[8192];
    ssize_t n;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fail("open", path);
    while ((n = read(fd, buf, sizeof buf)) > 0)
        fwrite(buf, 1, (size_t)n, stdout);
    if (n < 0)
        return fail("read", path);
    close(fd);
    if (add_newline)
        putchar('\n');
    return 0;
}

static void sleep_seconds(long n) {
    struct timespec ts = {.tv_sec = n, .tv_nsec = 0};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
    }
}

static int cmp_long(const void *a, const void *b) {
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

static int pids(void) {
    long list[4096];
    size_t n = 0;
    struct dirent *e;
    DIR *d = opendir("/proc");
    if (!d)
        return fail("opendir", "/proc");
    while ((e = readdir(d)) != NULL && n < sizeof list / sizeof list[0]) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (e->d_name[0] != '\0' && *end == '\0')
            list[n++] = pid;
    }
    closedir(d);
    qsort(list, n, sizeof list[0], cmp_long);
    for (size_t i = 0; i < n; i++)
        printf("%ld\n", list[i]);
    return 0;
}

static int ifaces(void) {
    struct ifaddrs *all, *i;
    char addr[INET6_ADDRSTRLEN];
    if (getifaddrs(&all) < 0)
        return fail("getifaddrs", NULL);
    for (i = all; i; i = i->ifa_next) {
        if (!i->ifa_addr || i->ifa_addr->sa_family == AF_PACKET) {
            printf("%s %s\n", i->ifa_name, (i->ifa_flags & IFF_UP) ? "up" : "down");
        } else if (i->ifa_addr->sa_family == AF_INET) {
            inet_ntop(AF_INET, &((struct sockaddr_in *)(void *)i->ifa_addr)->sin_addr, addr,
                      sizeof addr);
            printf("%s inet %s\n", i->ifa_name, addr);
        } else if (i->ifa_addr->sa_family == AF_INET6) {
            inet_ntop(AF_INET6, &((struct sockaddr_in6 *)(void *)i->ifa_addr)->sin6_addr, addr,
                      sizeof addr);
            printf("%s inet6 %s\n", i->ifa_name, addr);
        }
    }
    freeifaddrs(all);
    return 0;
}

static int fds(void) {
    struct dirent *e;
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return fail("opendir", "/proc/self/fd");
    while ((e = readdir(d)) != NULL) {
        char link[64], target[PATH_MAX];
        ssize_t n;
        int fd;
        if (e->d_name[0] == '.')
            continue;
        fd = atoi(e->d_name);
        if (fd <= 2 || fd == dirfd(d))
            continue;
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        n = readlink(link, target, sizeof target - 1);
        target[n < 0 ? 0 : n] = '\0';
        printf("%d %s\n", fd, target);
    }
    closedir(d);
    return 0;
}

static int ids(void) {
    gid_t groups[NGROUPS_MAX];
    int n = getgroups(NGROUPS_MAX, groups);
    if (n < 0)
        return fail("getgroups", NULL);
    printf("uid=%u gid=%u euid=%u egid=%u groups=", getuid(), getgid(), geteuid(), getegid());
    for (int i = 0; i < n; i++)
        printf("%s%u", i ? "," : "", groups[i]);
    putchar('\n');
    return 0;
}

static int ismount(const char *path) {
    struct stat here, up;
    char parent[PATH_MAX];
    snprintf(parent, sizeof parent, "%s/..", path);
    if (lstat(path, &here) < 0)
        return fail("stat", path);
    if (stat(parent, &up) < 0)
        return fail("stat", parent);
    /* the root directory is its own parent: a mount point by definition */
    puts(here.st_dev != up.st_dev || here.st_ino == up.st_ino ? "yes" : "no");
    return 0;
}

static int daemonize(long seconds, int ignore_term) {
    pid_t pid;
    if (ignore_term)
        signal(SIGTERM, SIG_IGN);
    fflush(NULL);
    pid = fork();
    if (pid < 0)
        return fail("fork", NULL);
    if (pid > 0)
        _exit(0);
    setsid();
    if (syscall(SYS_close_range, 0U, ~0U, 0U) < 0) {
        for (int fd = 0; fd < 1024; fd++)
            close(fd);
    }
    sleep_seconds(seconds);
    _exit(0);
}

/* ping ADDR: one ICMP echo over an ICMP datagram socket (no raw socket, no privilege), as
 * Debian's ping does when raw sockets are refused. Prints "reply from ADDR". */
static int ping(const char *addr) {
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof(ss));
    int family = strchr(addr, ':') ? AF_INET6 : AF_INET;
    socklen_t len;
    if (family == AF_INET) {
        struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
        sin->sin_family = AF_INET;
        if (inet_pton(AF_INET, addr, &sin->sin_addr) != 1) return fail("ping", addr);
        len = sizeof(*sin);
    } else {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
        sin6->sin6_family = AF_INET6;
        if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) != 1) return fail("ping", addr);
        len = sizeof(*sin6);
    }
    int fd = socket(family, SOCK_DGRAM, family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6);
    if (fd < 0) return fail("socket", addr);
    struct timeval tv = {2, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    unsigned char pkt[16] = {family == AF_INET ? 8 : 128, 0};
    if (sendto(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&ss, len) < 0) return fail("sendto", addr);
    unsigned char buf[256];
    if (recv(fd, buf, sizeof(buf), 0) < 0) return fail("recv", addr);
    printf("reply from %s\n", addr);
    return 0;
}

/* rawsocket: tries a raw ICMP socket; prints "raw: ok" or "raw: <strerror>". */
static int rawsocket(void) {
    int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    if (fd < 0) {
        printf("raw: %s\n", strerror(errno));
        return 1;
    }
    printf("raw: ok\n");
    return 0;
}

int main(int argc, char **argv) {
    struct utsname u;
    const char *cmd = argc > 1 ? argv[1] : "";

    if (!strcmp(cmd, "hostname") || !strcmp(cmd, "domainname")) {
        if (uname(&u) < 0)
            return fail("uname", NULL);
        puts(cmd[0] == 'h' ? u.nodename : u.domainname);
    } else if (!strcmp(cmd, "ids")) {
        return ids();
    } else if (!strcmp(cmd, "self")) {
        printf("pid=%d ppid=%d\n", getpid(), getppid());
    } else if (!strcmp(cmd, "uid_map")) {
        return cat("/proc/self/uid_map", 0);
    } else if (!strcmp(cmd, "gid_map")) {
        return cat("/proc/self/gid_map", 0);
    } else if (!strcmp(cmd, "mounts")) {
        return cat("/proc/self/mounts", 0);
    } else if (!strcmp(cmd, "cgroup")) {
        return cat("/proc/self/cgroup", 0);
    } else if (!strcmp(cmd, "loginuid")) {
        return cat("/proc/self/loginuid", 1);
    } else if (!strcmp(cmd, "cat") && need_args(argc, 3)) {
        return cat(argv[2], 0);
    } else if (!strcmp(cmd, "pids")) {
        return pids();
    } else if (!strcmp(cmd, "ifaces")) {
        return ifaces();
    } else if (!strcmp(cmd, "create") && need_args(argc, 3)) {
        int fd = open(argv[2], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0 || write(fd, "probe\n", 6) != 6 || close(fd) < 0)
            return fail("create", argv[2]);
    } else if (!strcmp(cmd, "fds")) {
        return fds();
    } else if (!strcmp(cmd, "cwd")) {
        char buf[PATH_MAX];
        if (!getcwd(buf, sizeof buf))
            return fail("getcwd", NULL);
        puts(buf);
    } else if (!strcmp(cmd, "env")) {
        for (char **e = environ; *e; e++)
            puts(*e);
    } else if (!strcmp(cmd, "echo")) {
        for (int i = 2; i < argc; i++)
            puts(argv[i]);
    } else if (!strcmp(cmd, "ismount") && need_args(argc, 3)) {
        return ismount(argv[2]);
    } else if (!strcmp(cmd, "sethostname") && need_args(argc, 3)) {
        if (sethostname(argv[2], strlen(argv[2])) < 0)
            return fail("sethostname", argv[2]);
    } else if (!strcmp(cmd, "sleep") && need_args(argc, 3)) {
        sleep_seconds(number(argv[2]));
    } else if (!strcmp(cmd, "daemon") && need_args(argc, 3)) {
        return daemonize(number(argv[2]), 0);
    } else if (!strcmp(cmd, "stubborn") && need_args(argc, 3)) {
        return daemonize(number(argv[2]), 1);
    } else if (!strcmp(cmd, "ping") && need_args(argc, 3)) {
        return ping(argv[2]);
    } else if (!strcmp(cmd, "rawsocket")) {
        return rawsocket();
    } else if (!strcmp(cmd, "exit") && need_args(argc, 3)) {
        return (int)number(argv[2]);
    } else {
        fprintf(stderr, "usage: probe hostname|domainname|ids|self|uid_map|gid_map|mounts|"
                        "cgroup|loginuid|cat F|pids|ifaces|create F|fds|cwd|env|echo ...|"
                        "ismount P|sethostname N|sleep N|daemon N|stubborn N|exit N\n");
        return 100;
    }
    return 0;
}
