// timer: paired wall-clock timing of commands, interleaved run by run (A B C A B C ...).
//
//   timer [-n ROUNDS] [-w WARMUP] [-l LOOP] [-o RAW] [-e ERRLOG] NAME=COMMAND...
//
// COMMAND is split on spaces (no shell: nothing is added to what is measured). ";;" between
// words separates commands run one after the other as one step (create ;; remove). A leading
// "@cg2off " runs the step in a private mount namespace, made once at start, where
// /sys/fs/cgroup/unified is unmounted (crun 1.8 refuses this machine's hybrid cgroup layout
// otherwise); entering it costs one setns() in the child before exec.
//
// Each round runs every step once, in the order given, after WARMUP unmeasured rounds; with
// -l LOOP a sample is LOOP consecutive runs of the step, divided by LOOP. The clock
// (CLOCK_MONOTONIC) runs from before fork() to after waitpid() of the last command of the step.
// Commands get /dev/null as stdin and stdout; their stderr goes to ERRLOG (default /dev/null).
//
// Prints one tab-separated line per step: name, samples, median, min, max (ms), then the
// median, min and max of the per-round ratio to the first step (its own run in the same round),
// then the number of failed runs (non-zero exit). RAW gets every sample: round, name, ms.
// Exit status 0, or 3 when any run failed.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAXCMD 16
#define MAXSEQ 4
#define MAXARG 64

struct step {
  const char* name;
  int cg2off;
  int nseq;
  char* argv[MAXSEQ][MAXARG];
  double* samples;
  double* ratios;
  int failures;
};

static int devnull = -1, errfd = -1, cgns = -1;

static void die(const char* what) {
  fprintf(stderr, "timer: %s: %s\n", what, strerror(errno));
  exit(1);
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void parse(struct step* s, char* spec) {
  char* eq = strchr(spec, '=');
  if (!eq) {
    fprintf(stderr, "timer: %s: expected NAME=COMMAND\n", spec);
    exit(2);
  }
  *eq = 0;
  s->name = spec;
  char* rest = eq + 1;
  int argc = 0;
  s->nseq = 1;
  for (char* w = strtok(rest, " "); w; w = strtok(NULL, " ")) {
    if (argc == 0 && s->nseq == 1 && strcmp(w, "@cg2off") == 0) {
      s->cg2off = 1;
      continue;
    }
    if (strcmp(w, ";;") == 0) {
      s->argv[s->nseq - 1][argc] = NULL;
      if (++s->nseq > MAXSEQ) exit(2);
      argc = 0;
      continue;
    }
    if (argc >= MAXARG - 1) exit(2);
    s->argv[s->nseq - 1][argc++] = w;
  }
  s->argv[s->nseq - 1][argc] = NULL;
}

static void make_cgns(void) {
  int self = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
  if (self < 0) die("/proc/self/ns/mnt");
  if (unshare(CLONE_NEWNS) < 0) die("unshare mount namespace");
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) die("private mounts");
  if (umount2("/sys/fs/cgroup/unified", MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
    die("umount /sys/fs/cgroup/unified");
  cgns = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
  if (cgns < 0) die("/proc/self/ns/mnt");
  if (setns(self, CLONE_NEWNS) < 0) die("back to the first mount namespace");
  close(self);
}

// Runs one command; returns its wait status.
static int run(char** argv, int cg2off) {
  pid_t pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) {
    if (cg2off && setns(cgns, CLONE_NEWNS) < 0) _exit(125);
    dup2(devnull, 0);
    dup2(devnull, 1);
    dup2(errfd, 2);
    execvp(argv[0], argv);
    _exit(127);
  }
  int st;
  while (waitpid(pid, &st, 0) < 0) {
    if (errno != EINTR) die("waitpid");
  }
  return st;
}

static int cmp(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

static double median(double* v, int n) {
  qsort(v, (size_t)n, sizeof(double), cmp);
  if (n == 0) return 0;
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char** argv) {
  int rounds = 10, warmup = 1, loop = 1, opt;
  const char *raw = NULL, *errlog = "/dev/null";
  while ((opt = getopt(argc, argv, "+n:w:l:o:e:")) != -1) {
    switch (opt) {
      case 'n': rounds = atoi(optarg); break;
      case 'w': warmup = atoi(optarg); break;
      case 'l': loop = atoi(optarg); break;
      case 'o': raw = optarg; break;
      case 'e': errlog = optarg; break;
      default:
        fprintf(stderr, "usage: timer [-n ROUNDS] [-w WARMUP] [-l LOOP] [-o RAW] [-e ERRLOG] "
                        "NAME=COMMAND...\n");
        return 2;
    }
  }
  int nsteps = argc - optind;
  if (nsteps < 1 || nsteps > MAXCMD || rounds < 1 || loop < 1) return 2;
  static struct step steps[MAXCMD];
  for (int i = 0; i < nsteps; i++) {
    parse(&steps[i], argv[optind + i]);
    steps[i].samples = calloc((size_t)rounds, sizeof(double));
    steps[i].ratios = calloc((size_t)rounds, sizeof(double));
    if (steps[i].cg2off && cgns < 0) make_cgns();
  }
  devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  errfd = open(errlog, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (devnull < 0 || errfd < 0) die("opening /dev/null or the error log");
  FILE* rawf = raw ? fopen(raw, "a") : NULL;

  for (int r = -warmup; r < rounds; r++) {
    for (int i = 0; i < nsteps; i++) {
      struct step* s = &steps[i];
      double t0 = now_ms();
      for (int l = 0; l < loop; l++) {
        for (int q = 0; q < s->nseq; q++) {
          int st = run(s->argv[q], s->cg2off);
          if (!(WIFEXITED(st) && WEXITSTATUS(st) == 0) && r >= 0) {
            s->failures++;
            dprintf(errfd, "timer: %s: command %d %s %d\n", s->name, q,
                    WIFEXITED(st) ? "exited" : "killed by signal",
                    WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
          }
        }
      }
      double t = (now_ms() - t0) / loop;
      if (r < 0) continue;
      s->samples[r] = t;
      if (rawf) fprintf(rawf, "%d\t%s\t%.4f\n", r, s->name, t);
    }
    if (r >= 0) {
      for (int i = 0; i < nsteps; i++) steps[i].ratios[r] = steps[i].samples[r] / steps[0].samples[r];
    }
  }
  int failed = 0;
  for (int i = 0; i < nsteps; i++) {
    struct step* s = &steps[i];
    double med = median(s->samples, rounds);
    double rmed = median(s->ratios, rounds);
    printf("%s\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%d\n", s->name, rounds, med, s->samples[0],
           s->samples[rounds - 1], rmed, s->ratios[0], s->ratios[rounds - 1], s->failures);
    failed |= s->failures > 0;
  }
  if (rawf) fclose(rawf);
  return failed ? 3 : 0;
}
