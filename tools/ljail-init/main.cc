// ljail-init: the jail init (child/init.h), executed by jail(8) into each new jail as its
// PID 1. Linked statically and small, so that a running jail costs little memory.
#include "child/init.h"

int main(int argc, char** argv) {
  return ljail::child::init_main(argc, argv);
}
