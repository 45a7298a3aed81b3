/*
 * escape_probe: a static program copied into the roots of the escape suite's jails
 * (tests/security). Each subcommand attempts one thing a jailed root must not be able to do
 * (or, for the allow.* pairs, may do when allowed) and prints the result on one line: the errno
 * name of the refusal (e.g. "EPERM"), or "OK" when the operation succeeded. A few print a
 * verdict word instead (noted below). Exit status: 0 when a result was printed, 2 on bad usage.
 *
 * RUN IT ONLY INSIDE A JAIL: on an unconfined host these calls really act (mount, chroot,
 * SysV IPC objects, sockets...). The suite never runs it on the host.
 *
 * Syscall policy
 *   keyctl | add_key | request_key | bpf | perf | userfaultfd
 *   finit_module | init_module | delete_module | kexec | kexec_file
 *   open_by_handle_at | name_to_handle_at | syslog | acct | swapon
 *   unshare-user | unshare-mnt | unshare-net | clone-newuser | setns-host
 *   clone3 (ENOSYS expected) | syscall-1000 (ENOSYS) | int80 (i386 getpid: ENOSYS, or SIG<n>)
 *   tiocsti | tioclinux                  ioctl on fd 0
 *   reboot-cad                           reboot(CAD_OFF): EINVAL in a PID namespace
 *   reboot                               reboot(RESTART): ends the jail's PID namespace
 * Sockets
 *   af_alg | af_vsock | af_packet | raw | raw6 | af_xdp
 *   socket FAMILY TYPE PROTO             any socket(2), numbers
 *   netlink PROTO                        socket(AF_NETLINK, SOCK_RAW, PROTO)
 *   bind-port PORT                       bind a TCP socket to 127.0.0.1:PORT
 * Filesystems and devices
 *   mount-tmpfs DIR                      mkdir -p DIR; mount tmpfs on it
 *   mount-dev                            mount /dev/sda1 on /tmp (a host disk)
 *   umount PATH                          umount2(PATH, MNT_DETACH)
 *   remount-rw PATH                      remount the bind mount at PATH read-write
 *   mount-tmpfs-magic DIR                mount-tmpfs with MS_MGC_VAL, the old magic flags
 *   mount-bind SRC DST                   mkdir -p both; bind SRC on DST (then unmount it)
 *   open-tree-clone PATH                 open_tree(PATH, OPEN_TREE_CLONE): a detached bind
 *   fsopen TYPE                          fsopen(TYPE): a new file system context
 *   mount-fs TYPE DIR                    mkdir -p DIR; mount a new TYPE on it (then unmount)
 *   make-private PATH                    mount(MS_PRIVATE) on the existing mount PATH
 *   mount-fuse DIR                       open /dev/fuse ("open ERRNO" when that fails), then
 *                                        mount fuse on DIR with it (then unmount)
 *   open-rw PATH                         open(PATH, O_RDWR)
 *   mknod-blk | mknod-mem                mknod a block device 8:0 / /dev/mem 1:1, then open it
 *   open-w PATH                          open(PATH, O_WRONLY)
 *   size PATH                            bytes read from PATH (a number), or the errno
 *   count DIR                            entries of DIR other than . and .. (a number)
 *   chroot-escape HOSTPATH               double chroot; prints CONTAINED or ESCAPED
 *   proc-root                            /proc/N/root of every pid; "same=N denied=N differ=N"
 * Processes
 *   ptrace-init                          PTRACE_ATTACH to pid 1
 *   open-proc1-exe-write                 open("/proc/1/exe", O_WRONLY)
 *   open-proc1-fd                        opendir("/proc/1/fd")
 *   exe-race SECONDS                     for SECONDS, open /proc/N/exe for writing for every
 *                                        other pid; for any "jexec", list /proc/N/fd (a
 *                                        descriptor above 2 is a leak) and ptrace it (still
 *                                        "jexec" once stopped: before its exec);
 *                                        prints "REFUSED tries=N jexec_seen=N" or "OK what"
 *   release-agent                        CVE-2022-0492 steps: "unshare|mount|open ERRNO" or OK
 *   nested-proc                          new user+mount+pid ns, mount proc: "unshare|mount ERRNO"
 *   fds                                  descriptors other than 0, 1, 2: "FD TARGET" lines
 *   session                              "leader" if the process leads its session, else "member"
 *   status FIELD [PID]                   the value of FIELD in /proc/PID/status (default self)
 * Limits and IPC
 *   mlock                                mlock(2) one page
 *   sethostname NAME
 *   shm-create KEY | shm-get KEY | shm-rm KEY      SysV shared memory by key (decimal)
 *   sem                                  fakeroot-style semget/semop/semctl(IPC_RMID)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/reboot.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/keyctl.h>
#include <linux/perf_event.h>
#include <linux/reboot.h>

#ifndef AF_ALG
#define AF_ALG 38
#endif
#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif
#ifndef AF_XDP
#define AF_XDP 44
#endif

static const char *errname(int e) {
    const char *n = strerrorname_np(e);
    static char buf[32];
    if (n) return n;
    snprintf(buf, sizeof buf, "E%d", e);
    return buf;
}

/* prints OK or the errno name of a result; closes a returned descriptor when asked */
static int rep(long r) {
    puts(r < 0 ? errname(errno) : "OK");
    return 0;
}

static int rep_fd(long fd) {
    int e = errno;
    if (fd >= 0) close((int)fd);
    errno = e;
    return rep(fd);
}

static long num(const char *s) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 0);
    if (*s == '\0' || *end != '\0' || errno) {
        fprintf(stderr, "escape_probe: not a number: %s\n", s);
        exit(2);
    }
    return v;
}

static void mkdir_p(const char *path) {
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(buf, 0755);
            *p = '/';
        }
    }
    mkdir(buf, 0755);
}

/* a child that calls clone(flags) and reports; the clone child exits at once */
static int clone_flags(unsigned long flags) {
    long r = syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
    if (r == 0) _exit(0);
    if (r > 0) waitpid((pid_t)r, NULL, 0);
    return rep(r);
}

static int int80(void) {
    pid_t p = fork();
    if (p < 0) return rep(-1);
    if (p == 0) {
        long ret;
        /* i386 getpid is 20 */
        __asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L) : "memory");
        if (ret < 0 && ret > -4096) {
            puts(errname((int)-ret));
        } else {
            puts("OK");
        }
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(p, &st, 0);
    if (WIFSIGNALED(st)) printf("SIG%s\n", sigabbrev_np(WTERMSIG(st)));
    return 0;
}

static int size_of(const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return rep(-1);
    char buf[65536];
    long long total = 0;
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        total += n;
        if (total > (1LL << 24)) break; /* /proc/kcore unmasked would be huge: enough */
    }
    int e = errno;
    close(fd);
    if (n < 0 && total == 0) {
        errno = e;
        return rep(-1);
    }
    printf("%lld\n", total);
    return 0;
}

static int count(const char *path) {
    DIR *d = opendir(path);
    if (!d) return rep(-1);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    }
    closedir(d);
    printf("%d\n", n);
    return 0;
}

static int chroot_escape(const char *hostpath) {
    int fd = open("/", O_RDONLY | O_DIRECTORY);
    if (fd < 0) return rep(-1);
    mkdir("/tmp/.esc", 0700);
    if (chroot("/tmp/.esc") < 0) {
        printf("chroot %s\n", errname(errno));
        rmdir("/tmp/.esc");
        return 0;
    }
    if (fchdir(fd) < 0) {
        printf("fchdir %s\n", errname(errno));
        return 0;
    }
    for (int i = 0; i < 256; i++) (void)!chdir("..");
    if (chroot(".") < 0) {
        printf("chroot2 %s\n", errname(errno));
        return 0;
    }
    int jail_marker = access("/.ljail-root", F_OK) == 0;
    int host_canary = access(hostpath, F_OK) == 0;
    puts(jail_marker && !host_canary ? "CONTAINED" : "ESCAPED");
    rmdir("/tmp/.esc");
    return 0;
}

static int proc_root(void) {
    struct stat root;
    if (stat("/", &root) < 0) return rep(-1);
    DIR *d = opendir("/proc");
    if (!d) return rep(-1);
    int same = 0, denied = 0, differ = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        char p[PATH_MAX], link[PATH_MAX];
        struct stat st;
        snprintf(p, sizeof p, "/proc/%s/root/", e->d_name);
        if (stat(p, &st) < 0) {
            if (errno == EACCES || errno == EPERM) denied++;
            /* ENOENT: the process is gone */
            continue;
        }
        snprintf(p, sizeof p, "/proc/%s/root", e->d_name);
        ssize_t n = readlink(p, link, sizeof link - 1);
        link[n > 0 ? n : 0] = '\0';
        if (st.st_dev == root.st_dev && st.st_ino == root.st_ino && strcmp(link, "/") == 0) {
            same++;
        } else {
            differ++;
            fprintf(stderr, "escape_probe: /proc/%s/root is %s (%lu:%lu)\n", e->d_name, link,
                    (unsigned long)st.st_dev, (unsigned long)st.st_ino);
        }
    }
    closedir(d);
    printf("same=%d denied=%d differ=%d\n", same, denied, differ);
    return 0;
}

static int comm_is(const char *pid, const char *want) {
    char p[PATH_MAX], buf[64] = "";
    snprintf(p, sizeof p, "/proc/%s/comm", pid);
    int fd = open(p, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return 0;
    buf[n] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    return strcmp(buf, want) == 0;
}

static int exe_race(long seconds) {
    char self[32];
    snprintf(self, sizeof self, "%d", getpid());
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    long tries = 0, jexec_seen = 0;
    do {
        DIR *d = opendir("/proc");
        if (!d) return rep(-1);
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] < '0' || e->d_name[0] > '9' || !strcmp(e->d_name, self)) continue;
            char p[PATH_MAX];
            snprintf(p, sizeof p, "/proc/%s/exe", e->d_name);
            int fd = open(p, O_WRONLY | O_CLOEXEC);
            tries++;
            if (fd >= 0) {
                char link[PATH_MAX] = "";
                ssize_t n = readlink(p, link, sizeof link - 1);
                link[n > 0 ? n : 0] = '\0';
                printf("OK open-exe-write pid %s (%s)\n", e->d_name, link);
                close(fd);
                return 0;
            }
            if (comm_is(e->d_name, "jexec")) {
                jexec_seen++;
                snprintf(p, sizeof p, "/proc/%s/fd", e->d_name);
                DIR *fdd = opendir(p);
                if (fdd) {
                    /* exec sets the new program dumpable just before it renames the task, so a
                     * listing can legitimately succeed on a "jexec": a finding is a descriptor
                     * other than 0, 1, 2 in it */
                    struct dirent *fe;
                    int leaked = -1;
                    while ((fe = readdir(fdd))) {
                        if (fe->d_name[0] != '.' && atoi(fe->d_name) > 2) leaked = atoi(fe->d_name);
                    }
                    closedir(fdd);
                    if (leaked >= 0) {
                        printf("OK open-fd pid %s fd %d\n", e->d_name, leaked);
                        return 0;
                    }
                }
                pid_t pid = (pid_t)atoi(e->d_name);
                if (ptrace(PTRACE_SEIZE, pid, 0, 0) == 0) {
                    /* a legitimate attach to what jexec already exec'd (the jail's own
                     * program) is fine: stop it, look, let it go */
                    int still = 0;
                    if (ptrace(PTRACE_INTERRUPT, pid, 0, 0) == 0 &&
                        waitpid(pid, NULL, __WALL) == pid) {
                        still = comm_is(e->d_name, "jexec");
                    }
                    ptrace(PTRACE_DETACH, pid, 0, 0);
                    if (still) {
                        printf("OK ptrace pid %s\n", e->d_name);
                        return 0;
                    }
                }
            }
        }
        closedir(d);
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while (now.tv_sec - start.tv_sec < seconds);
    printf("REFUSED tries=%ld jexec_seen=%ld\n", tries, jexec_seen);
    return 0;
}

static int write_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = write(fd, text, strlen(text));
    int e = errno;
    close(fd);
    errno = e;
    return n < 0 ? -1 : 0;
}

static int release_agent(void) {
    if (unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWCGROUP) < 0) {
        printf("unshare %s\n", errname(errno));
        return 0;
    }
    (void)write_file("/proc/self/setgroups", "deny");
    (void)write_file("/proc/self/uid_map", "0 0 1");
    (void)write_file("/proc/self/gid_map", "0 0 1");
    mkdir("/tmp/.cg", 0700);
    if (mount("cgroup", "/tmp/.cg", "cgroup", 0, "rdma") < 0) {
        printf("mount %s\n", errname(errno));
        return 0;
    }
    /* opened, never written */
    int fd = open("/tmp/.cg/release_agent", O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        printf("open %s\n", errname(errno));
    } else {
        puts("OK");
        close(fd);
    }
    umount2("/tmp/.cg", MNT_DETACH);
    return 0;
}

static int nested_proc(void) {
    if (unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID) < 0) {
        printf("unshare %s\n", errname(errno));
        return 0;
    }
    pid_t p = fork();
    if (p < 0) return rep(-1);
    if (p == 0) {
        if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
            printf("mount %s\n", errname(errno));
        } else if (mount("proc", "/proc", "proc", 0, NULL) < 0) {
            printf("mount %s\n", errname(errno));
        } else {
            puts("OK");
        }
        fflush(stdout);
        _exit(0);
    }
    waitpid(p, NULL, 0);
    return 0;
}

static int fds(void) {
    DIR *d = opendir("/proc/self/fd");
    if (!d) return rep(-1);
    int own = dirfd(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        int fd = atoi(e->d_name);
        if (fd <= 2 || fd == own) continue;
        char p[PATH_MAX], link[PATH_MAX] = "";
        snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
        ssize_t n = readlink(p, link, sizeof link - 1);
        link[n > 0 ? n : 0] = '\0';
        printf("%d %s\n", fd, link);
    }
    closedir(d);
    return 0;
}

static int status_field(const char *field, const char *pid) {
    char p[PATH_MAX], line[512];
    snprintf(p, sizeof p, "/proc/%s/status", pid);
    FILE *f = fopen(p, "re");
    if (!f) return rep(-1);
    size_t len = strlen(field);
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, field, len) && line[len] == ':') {
            char *v = line + len + 1;
            v += strspn(v, " \t");
            fputs(v, stdout);
            fclose(f);
            return 0;
        }
    }
    fclose(f);
    puts("ABSENT");
    return 0;
}

static int bind_port(long port) {
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0) return rep(-1);
    int one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    long r = bind(s, (struct sockaddr *)&a, sizeof a);
    int e = errno;
    close(s);
    errno = e;
    return rep(r);
}

static int sem(void) {
    int id = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
    if (id < 0) {
        printf("semget %s\n", errname(errno));
        return 0;
    }
    struct sembuf up = {0, 1, 0}, down = {0, -1, 0};
    if (semop(id, &up, 1) < 0) {
        printf("semop %s\n", errname(errno));
    } else if (semop(id, &down, 1) < 0) {
        printf("semop %s\n", errname(errno));
    } else {
        puts("OK");
    }
    semctl(id, 0, IPC_RMID);
    return 0;
}

#define IS(name) (strcmp(t, name) == 0)
#define NEED(n)                                                      \
    do {                                                             \
        if (argc < (n) + 2) {                                        \
            fprintf(stderr, "escape_probe: %s: missing argument\n", t); \
            return 2;                                                \
        }                                                            \
    } while (0)

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *t = argc > 1 ? argv[1] : "";
    /* --- syscall policy */
    if (IS("keyctl")) return rep(syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_USER_KEYRING, 0));
    if (IS("add_key")) return rep(syscall(SYS_add_key, "user", "k", "v", 1, KEY_SPEC_PROCESS_KEYRING));
    if (IS("request_key")) return rep(syscall(SYS_request_key, "user", "k", NULL, 0));
    if (IS("bpf")) {
        char a[128] = {0};
        return rep(syscall(SYS_bpf, 0 /* BPF_MAP_CREATE */, a, sizeof a));
    }
    if (IS("perf")) {
        struct perf_event_attr a = {.type = PERF_TYPE_SOFTWARE, .size = sizeof a,
                                    .config = PERF_COUNT_SW_CPU_CLOCK};
        return rep_fd(syscall(SYS_perf_event_open, &a, 0, -1, -1, 0));
    }
    if (IS("userfaultfd")) return rep_fd(syscall(SYS_userfaultfd, 0));
    if (IS("finit_module")) return rep(syscall(SYS_finit_module, -1, "", 0));
    if (IS("init_module")) return rep(syscall(SYS_init_module, NULL, 0, ""));
    if (IS("delete_module")) return rep(syscall(SYS_delete_module, "ljail_no_such_module", O_NONBLOCK));
    if (IS("kexec")) return rep(syscall(SYS_kexec_load, 0, 0, NULL, 0));
    if (IS("kexec_file")) return rep(syscall(SYS_kexec_file_load, -1, -1, 0, "", 0));
    if (IS("open_by_handle_at")) {
        struct { unsigned int b; int ty; unsigned char h[8]; } fh = {8, 1, {2}};
        return rep_fd(syscall(SYS_open_by_handle_at, AT_FDCWD, &fh, O_RDONLY));
    }
    if (IS("name_to_handle_at")) {
        struct { unsigned int b; int ty; unsigned char h[128]; } fh = {128, 0, {0}};
        int mnt;
        return rep(syscall(SYS_name_to_handle_at, AT_FDCWD, "/", &fh, &mnt, 0));
    }
    if (IS("syslog")) {
        char buf[256];
        return rep(klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, sizeof buf));
    }
    if (IS("acct")) return rep(syscall(SYS_acct, NULL));
    if (IS("swapon")) return rep(syscall(SYS_swapon, "/ljail-no-such-swap", 0));
    if (IS("unshare-user")) return rep(unshare(CLONE_NEWUSER));
    if (IS("unshare-mnt")) return rep(unshare(CLONE_NEWNS));
    if (IS("unshare-net")) return rep(unshare(CLONE_NEWNET));
    if (IS("clone-newuser")) return clone_flags(CLONE_NEWUSER);
    if (IS("setns-host")) {
        int fd = open("/proc/1/ns/mnt", O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            printf("open %s\n", errname(errno));
            return 0;
        }
        return rep(setns(fd, 0));
    }
    if (IS("clone3")) return rep(syscall(435 /* clone3 */, NULL, 0));
    if (IS("syscall-1000")) return rep(syscall(1000, 0, 0, 0));
    if (IS("int80")) return int80();
    if (IS("tiocsti")) {
        char c = '#';
        return rep(ioctl(0, TIOCSTI, &c));
    }
    if (IS("tioclinux")) {
        char sub = 12; /* TIOCL_GETSHIFTSTATE: harmless */
        return rep(ioctl(0, TIOCLINUX, &sub));
    }
    if (IS("reboot-cad")) return rep(reboot(LINUX_REBOOT_CMD_CAD_OFF));
    if (IS("reboot")) {
        sync();
        return rep(reboot(LINUX_REBOOT_CMD_RESTART));
    }
    /* --- sockets */
    if (IS("af_alg")) return rep_fd(socket(AF_ALG, SOCK_SEQPACKET, 0));
    if (IS("af_vsock")) return rep_fd(socket(AF_VSOCK, SOCK_STREAM, 0));
    if (IS("af_packet")) return rep_fd(socket(AF_PACKET, SOCK_RAW, htons(0x0003 /* ETH_P_ALL */)));
    if (IS("af_xdp")) return rep_fd(socket(AF_XDP, SOCK_RAW, 0));
    if (IS("raw")) return rep_fd(socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
    if (IS("raw6")) return rep_fd(socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6));
    if (IS("socket")) {
        NEED(3);
        return rep_fd(socket((int)num(argv[2]), (int)num(argv[3]), (int)num(argv[4])));
    }
    if (IS("netlink")) {
        NEED(1);
        return rep_fd(socket(AF_NETLINK, SOCK_RAW, (int)num(argv[2])));
    }
    if (IS("bind-port")) {
        NEED(1);
        return bind_port(num(argv[2]));
    }
    /* --- filesystems and devices */
    if (IS("mount-tmpfs")) {
        NEED(1);
        mkdir_p(argv[2]);
        long r = mount("none", argv[2], "tmpfs", 0, "size=1m");
        int e = errno;
        if (r == 0) umount2(argv[2], MNT_DETACH);
        errno = e;
        return rep(r);
    }
    if (IS("mount-dev")) return rep(mount("/dev/sda1", "/tmp", "ext4", MS_RDONLY, NULL));
    if (IS("umount")) {
        NEED(1);
        return rep(umount2(argv[2], MNT_DETACH));
    }
    if (IS("remount-rw")) {
        NEED(1);
        return rep(mount(NULL, argv[2], NULL, MS_REMOUNT | MS_BIND, NULL));
    }
    if (IS("mount-tmpfs-magic")) {
        NEED(1);
        mkdir_p(argv[2]);
        long r = mount("none", argv[2], "tmpfs", MS_MGC_VAL, "size=1m");
        int e = errno;
        if (r == 0) umount2(argv[2], MNT_DETACH);
        errno = e;
        return rep(r);
    }
    if (IS("mount-bind")) {
        NEED(2);
        mkdir_p(argv[2]);
        mkdir_p(argv[3]);
        long r = mount(argv[2], argv[3], NULL, MS_BIND, NULL);
        int e = errno;
        if (r == 0) umount2(argv[3], MNT_DETACH);
        errno = e;
        return rep(r);
    }
    if (IS("open-tree-clone")) {
        NEED(1);
        return rep_fd(syscall(SYS_open_tree, AT_FDCWD, argv[2], 1 /* OPEN_TREE_CLONE */ | O_CLOEXEC));
    }
    if (IS("fsopen")) {
        NEED(1);
        return rep_fd(syscall(SYS_fsopen, argv[2], 1 /* FSOPEN_CLOEXEC */));
    }
    if (IS("mount-fs")) {
        NEED(2);
        mkdir_p(argv[3]);
        long r = mount(argv[2], argv[3], argv[2], MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
        int e = errno;
        if (r == 0) umount2(argv[3], MNT_DETACH);
        errno = e;
        return rep(r);
    }
    if (IS("make-private")) {
        NEED(1);
        return rep(mount(NULL, argv[2], NULL, MS_PRIVATE, NULL));
    }
    if (IS("mount-fuse")) {
        NEED(1);
        int fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
        if (fd < 0) {
            printf("open %s\n", errname(errno));
            return 0;
        }
        mkdir_p(argv[2]);
        char opts[128];
        snprintf(opts, sizeof opts, "fd=%d,rootmode=40000,user_id=0,group_id=0", fd);
        long r = mount("escape_probe", argv[2], "fuse", MS_NOSUID | MS_NODEV, opts);
        int e = errno;
        if (r == 0) umount2(argv[2], MNT_DETACH);
        close(fd);
        errno = e;
        return rep(r);
    }
    if (IS("open-rw")) {
        NEED(1);
        return rep_fd(open(argv[2], O_RDWR | O_CLOEXEC));
    }
    if (IS("mknod-blk") || IS("mknod-mem")) {
        const char *p = IS("mknod-blk") ? "/tmp/.ljail-blk" : "/tmp/.ljail-mem";
        dev_t dev = IS("mknod-blk") ? makedev(8, 0) : makedev(1, 1);
        mode_t type = IS("mknod-blk") ? S_IFBLK : S_IFCHR;
        unlink(p);
        if (mknod(p, type | 0600, dev) < 0) return rep(-1);
        int fd = open(p, O_RDONLY | O_CLOEXEC);
        int e = errno;
        unlink(p);
        if (fd >= 0) {
            puts("OK open");
            close(fd);
            return 0;
        }
        printf("open %s\n", errname(e));
        return 0;
    }
    if (IS("open-w")) {
        NEED(1);
        return rep_fd(open(argv[2], O_WRONLY | O_CLOEXEC));
    }
    if (IS("size")) {
        NEED(1);
        return size_of(argv[2]);
    }
    if (IS("count")) {
        NEED(1);
        return count(argv[2]);
    }
    if (IS("chroot-escape")) {
        NEED(1);
        return chroot_escape(argv[2]);
    }
    if (IS("proc-root")) return proc_root();
    /* --- processes */
    if (IS("ptrace-init")) return rep(ptrace(PTRACE_ATTACH, 1, 0, 0));
    if (IS("open-proc1-exe-write")) return rep_fd(open("/proc/1/exe", O_WRONLY | O_CLOEXEC));
    if (IS("open-proc1-fd")) {
        DIR *d = opendir("/proc/1/fd");
        if (d) closedir(d);
        return rep(d ? 0 : -1);
    }
    if (IS("exe-race")) {
        NEED(1);
        return exe_race(num(argv[2]));
    }
    if (IS("release-agent")) return release_agent();
    if (IS("nested-proc")) return nested_proc();
    if (IS("fds")) return fds();
    if (IS("session")) {
        puts(getsid(0) == getpid() ? "leader" : "member");
        return 0;
    }
    if (IS("status")) {
        NEED(1);
        return status_field(argv[2], argc > 3 ? argv[3] : "self");
    }
    /* --- limits and IPC */
    if (IS("mlock")) {
        static char page[4096] __attribute__((aligned(4096)));
        long r = mlock(page, sizeof page);
        if (r == 0) munlock(page, sizeof page);
        return rep(r);
    }
    if (IS("sethostname")) {
        NEED(1);
        return rep(sethostname(argv[2], strlen(argv[2])));
    }
    if (IS("shm-create")) {
        NEED(1);
        return rep(shmget((key_t)num(argv[2]), 4096, IPC_CREAT | IPC_EXCL | 0600));
    }
    if (IS("shm-get")) {
        NEED(1);
        return rep(shmget((key_t)num(argv[2]), 0, 0));
    }
    if (IS("shm-rm")) {
        NEED(1);
        int id = shmget((key_t)num(argv[2]), 0, 0);
        if (id < 0) return rep(-1);
        return rep(shmctl(id, IPC_RMID, NULL));
    }
    if (IS("sem")) return sem();
    fprintf(stderr, "escape_probe: unknown check \"%s\"\n", t);
    return 2;
}
