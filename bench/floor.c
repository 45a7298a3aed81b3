// floor: the unavoidable system calls of a jail start, and nothing else.
//
//   floor [-n] [-p] [-i] ROOT [PROGRAM [ARG...]]
//
// clone() with the namespaces ljail gives a jail (user, PID, mount, UTS, IPC, network, cgroup);
// the parent writes the uid/gid maps (65536 ids); the child makes its mounts private, bind-mounts
// ROOT onto itself, mounts proc, a minimal /dev (tmpfs, the six usual nodes bound from the host,
// a devpts instance and the ptmx link), sets the hostname, brings lo up with one raw netlink
// message, pivot_root()s into ROOT, detaches the old root and execs PROGRAM (/bin/true) as PID 1
// of its PID namespace; the parent waits for it.
//
//   -n  also what ip4.addr=ADDR costs: a veth pair created with its peer in the child's network
//       namespace, 169.254.0.1/32 on the host end, forwarding on, the host end up, a host route
//       to 10.213.77.2/32; in the child the address on eth0, eth0 up, a route to the gateway and
//       the default route (the netlink messages ljail's network setup sends); the pair is deleted
//       after the child exits. No packet leaves
//       the machine: nothing is bridged or routed to a real interface.
//   -p  create + remove: the child does all of the above but, instead of exec, tells the parent
//       it is ready and waits; the parent kills it and reaps it (a persistent jail's init
//       created, then removed).
//   -i  the root is an idmapped mount (open_tree + mount_setattr(MOUNT_ATTR_IDMAP) + move_mount
//       done by the parent, as ljail does) instead of a plain bind mount made by the child.
//
// Exit status: the program's, or 1 with a message on stderr.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/mount.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <grp.h>
#include <unistd.h>

#define UID_BASE 1879048192u /* 0x70000000: away from ljail's and the host's ids */
#define UID_SIZE 65536u

static void die(const char* what) {
  fprintf(stderr, "floor: %s: %s\n", what, strerror(errno));
  _exit(1);
}

/* ---- a few netlink messages, built by hand ---- */

struct req {
  struct nlmsghdr h;
  char buf[512];
};

static struct rtattr* nla_put(struct req* r, unsigned short type, const void* data, size_t len) {
  struct rtattr* a = (struct rtattr*)((char*)&r->h + NLMSG_ALIGN(r->h.nlmsg_len));
  a->rta_type = type;
  a->rta_len = (unsigned short)RTA_LENGTH(len);
  if (len) {
    if (data)
      memcpy(RTA_DATA(a), data, len);
    else
      memset(RTA_DATA(a), 0, len);
  }
  r->h.nlmsg_len = NLMSG_ALIGN(r->h.nlmsg_len) + RTA_ALIGN(a->rta_len);
  return a;
}

static void nla_end(struct req* r, struct rtattr* nest) {
  nest->rta_len = (unsigned short)((char*)&r->h + r->h.nlmsg_len - (char*)nest);
}

static void nl_talk(int fd, struct req* r, const char* what) {
  static unsigned seq;
  r->h.nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
  r->h.nlmsg_seq = ++seq;
  if (send(fd, r, r->h.nlmsg_len, 0) < 0) die(what);
  char ack[1024];
  ssize_t n = recv(fd, ack, sizeof(ack), 0);
  if (n < 0) die(what);
  struct nlmsghdr* h = (struct nlmsghdr*)ack;
  if (h->nlmsg_type == NLMSG_ERROR) {
    struct nlmsgerr* e = NLMSG_DATA(h);
    if (e->error) {
      errno = -e->error;
      die(what);
    }
  }
}

static void msg_init(struct req* r, unsigned short type, unsigned short flags, size_t hdr) {
  memset(r, 0, sizeof(*r));
  r->h.nlmsg_len = NLMSG_LENGTH(hdr);
  r->h.nlmsg_type = type;
  r->h.nlmsg_flags = flags;
}

static void link_up(int fd, int index) {
  struct req r;
  msg_init(&r, RTM_NEWLINK, 0, sizeof(struct ifinfomsg));
  struct ifinfomsg* i = NLMSG_DATA(&r.h);
  i->ifi_index = index;
  i->ifi_flags = IFF_UP;
  i->ifi_change = IFF_UP;
  nl_talk(fd, &r, "link up");
}

static void addr_add(int fd, int index, const char* addr) {
  struct req r;
  msg_init(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, sizeof(struct ifaddrmsg));
  struct ifaddrmsg* a = NLMSG_DATA(&r.h);
  a->ifa_family = AF_INET;
  a->ifa_prefixlen = 32;
  a->ifa_index = (unsigned)index;
  struct in_addr in;
  inet_pton(AF_INET, addr, &in);
  nla_put(&r, IFA_LOCAL, &in, 4);
  nla_put(&r, IFA_ADDRESS, &in, 4);
  nl_talk(fd, &r, "address add");
}

static void route_add(int fd, int index, const char* dst, int len, const char* via) {
  struct req r;
  msg_init(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, sizeof(struct rtmsg));
  struct rtmsg* m = NLMSG_DATA(&r.h);
  m->rtm_family = AF_INET;
  m->rtm_dst_len = (unsigned char)len;
  m->rtm_table = RT_TABLE_MAIN;
  m->rtm_protocol = RTPROT_BOOT;
  m->rtm_scope = via ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
  m->rtm_type = RTN_UNICAST;
  struct in_addr in;
  if (len) {
    inet_pton(AF_INET, dst, &in);
    nla_put(&r, RTA_DST, &in, 4);
  }
  if (via) {
    inet_pton(AF_INET, via, &in);
    nla_put(&r, RTA_GATEWAY, &in, 4);
  }
  nla_put(&r, RTA_OIF, &index, 4);
  nl_talk(fd, &r, "route add");
}

static void veth_create(int fd, const char* host_name, pid_t peer_ns_pid) {
  struct req r;
  msg_init(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof(struct ifinfomsg));
  nla_put(&r, IFLA_IFNAME, host_name, strlen(host_name) + 1);
  struct rtattr* info = nla_put(&r, IFLA_LINKINFO, NULL, 0);
  nla_put(&r, IFLA_INFO_KIND, "veth", 5);
  struct rtattr* data = nla_put(&r, IFLA_INFO_DATA, NULL, 0);
  struct rtattr* peer = nla_put(&r, VETH_INFO_PEER, NULL, sizeof(struct ifinfomsg));
  nla_put(&r, IFLA_IFNAME, "eth0", 5);
  nla_put(&r, IFLA_NET_NS_PID, &peer_ns_pid, 4);
  nla_end(&r, peer);
  nla_end(&r, data);
  nla_end(&r, info);
  nl_talk(fd, &r, "veth create");
}

static void link_del(int fd, const char* name) {
  struct req r;
  msg_init(&r, RTM_DELLINK, 0, sizeof(struct ifinfomsg));
  nla_put(&r, IFLA_IFNAME, name, strlen(name) + 1);
  nl_talk(fd, &r, "veth delete");
}

static int nl_open(void) {
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) die("netlink socket");
  return fd;
}

/* ---- the jail side ---- */

static void write_file(const char* path, const char* text) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) die(path);
  if (write(fd, text, strlen(text)) < 0) die(path);
  close(fd);
}

static void bind_node(const char* name) {
  char src[64], dst[64];
  snprintf(src, sizeof(src), "/dev/%s", name);
  snprintf(dst, sizeof(dst), "dev/%s", name);
  int fd = open(dst, O_CREAT | O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0) die(dst);
  close(fd);
  if (mount(src, dst, NULL, MS_BIND, NULL) < 0) die(dst);
}

struct opts {
  int net, persist, idmap;
  const char* root;
  const char* program;
  char** args;
};

static int child(const struct opts* o, int sync_fd, int ready_fd) {
  char c;
  if (read(sync_fd, &c, 1) != 1) die("waiting for the id maps");
  // Become root of the new user namespace (the ids mapped to the jail's range).
  if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0) die("setresuid");
  if (setgroups(0, NULL) < 0) die("setgroups");
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) die("private mounts");
  if (!o->idmap && mount(o->root, o->root, NULL, MS_BIND, NULL) < 0) die("bind root");
  if (chdir(o->root) < 0) die("chdir root");
  if (mount("proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) die("proc");
  if (mount("tmpfs", "dev", "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=755,size=1m") < 0) die("dev");
  static const char* nodes[] = {"null", "zero", "full", "random", "urandom", "tty"};
  for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) bind_node(nodes[i]);
  if (mkdir("dev/pts", 0755) < 0) die("dev/pts");
  if (mount("devpts", "dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666") < 0)
    die("devpts");
  if (symlink("pts/ptmx", "dev/ptmx") < 0) die("dev/ptmx");
  if (sethostname("floor", 5) < 0) die("sethostname");
  int nl = nl_open();
  link_up(nl, 1);
  if (o->net) {
    int eth0 = (int)if_nametoindex("eth0");
    if (!eth0) die("eth0");
    addr_add(nl, eth0, "10.213.77.2");
    link_up(nl, eth0);
    route_add(nl, eth0, "169.254.0.1", 32, NULL);
    route_add(nl, eth0, "0.0.0.0", 0, "169.254.0.1");
  }
  close(nl);
  if (syscall(SYS_pivot_root, ".", ".") < 0) die("pivot_root");
  if (umount2(".", MNT_DETACH) < 0) die("detach old root");
  if (chdir("/") < 0) die("chdir /");
  if (o->persist) {
    if (write(ready_fd, "r", 1) != 1) die("ready");
    for (;;) pause();
  }
  char* argv[] = {(char*)o->program, NULL};
  char* envp[] = {"PATH=/bin:/usr/bin:/sbin:/usr/sbin", NULL};
  execve(o->program, o->args ? o->args : argv, envp);
  die(o->program);
  return 1;
}

static void idmap_root(const char* root, pid_t pid) {
  char path[64];
  snprintf(path, sizeof(path), "/proc/%d/ns/user", pid);
  int userns = open(path, O_RDONLY | O_CLOEXEC);
  if (userns < 0) die(path);
  snprintf(path, sizeof(path), "/proc/%d/ns/mnt", pid);
  int mntns = open(path, O_RDONLY | O_CLOEXEC);
  if (mntns < 0) die(path);
  int self = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
  if (self < 0) die("own mount namespace");
  // The child's mount namespace is owned by its user namespace; root on the host may enter it.
  if (setns(mntns, CLONE_NEWNS) < 0) die("entering the jail's mounts");
  int tree = (int)syscall(SYS_open_tree, AT_FDCWD, root, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
  if (tree < 0) die("open_tree");
  struct mount_attr attr = {.attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (unsigned)userns};
  if (syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH, &attr, sizeof(attr)) < 0)
    die("mount_setattr idmap");
  if (syscall(SYS_move_mount, tree, "", AT_FDCWD, root, MOVE_MOUNT_F_EMPTY_PATH) < 0)
    die("move_mount");
  if (setns(self, CLONE_NEWNS) < 0) die("back to the host's mounts");
  close(tree);
  close(userns);
  close(mntns);
  close(self);
}

int main(int argc, char** argv) {
  struct opts o = {0};
  int opt;
  while ((opt = getopt(argc, argv, "+npi")) != -1) {
    switch (opt) {
      case 'n': o.net = 1; break;
      case 'p': o.persist = 1; break;
      case 'i': o.idmap = 1; break;
      default:
        fprintf(stderr, "usage: floor [-n] [-p] [-i] ROOT [PROGRAM]\n");
        return 2;
    }
  }
  if (optind >= argc) {
    fprintf(stderr, "usage: floor [-n] [-p] [-i] ROOT [PROGRAM]\n");
    return 2;
  }
  o.root = argv[optind];
  o.program = "/bin/true";
  if (optind + 1 < argc) {
    o.program = argv[optind + 1];
    o.args = argv + optind + 1;
  }

  int sync[2], ready[2];
  if (pipe2(sync, O_CLOEXEC) < 0 || pipe2(ready, O_CLOEXEC) < 0) die("pipe");
  long flags = CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |
               CLONE_NEWNET | CLONE_NEWCGROUP | SIGCHLD;
  pid_t pid = (pid_t)syscall(SYS_clone, flags, NULL, NULL, NULL, NULL);
  if (pid < 0) die("clone");
  if (pid == 0) {
    close(sync[1]);
    close(ready[0]);
    _exit(child(&o, sync[0], ready[1]));
  }
  close(sync[0]);
  close(ready[1]);

  char path[64], map[64], name[IFNAMSIZ];
  snprintf(map, sizeof(map), "0 %u %u\n", UID_BASE, UID_SIZE);
  snprintf(path, sizeof(path), "/proc/%d/uid_map", pid);
  write_file(path, map);
  snprintf(path, sizeof(path), "/proc/%d/gid_map", pid);
  write_file(path, map);
  if (o.idmap) idmap_root(o.root, pid);
  if (o.net) {
    snprintf(name, sizeof(name), "lf%d", pid);
    int nl = nl_open();
    veth_create(nl, name, pid);
    int host = (int)if_nametoindex(name);
    if (!host) die(name);
    addr_add(nl, host, "169.254.0.1");
    snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/forwarding", name);
    write_file(path, "1");
    link_up(nl, host);
    route_add(nl, host, "10.213.77.2", 32, NULL);
    close(nl);
  }
  if (write(sync[1], "g", 1) != 1) die("releasing the child");
  if (o.persist) {
    char c;
    if (read(ready[0], &c, 1) != 1) {
      errno = EPIPE;
      die("the child failed");
    }
    kill(pid, SIGKILL);
  }
  int st;
  if (waitpid(pid, &st, 0) < 0) die("waitpid");
  if (o.net) {
    // Deleted now, as jail -r does, rather than when the kernel tears the namespace down.
    int nl = nl_open();
    link_del(nl, name);
    close(nl);
  }
  if (o.persist) return WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL ? 0 : 1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
