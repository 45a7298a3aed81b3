// nftables through libnftables: commands in the nft(8) language, each call one transaction.
// A context holds a netlink socket that libnftables may open without O_CLOEXEC: keep an Nft
// only for the few calls that need it, never across a fork or an exec.
#pragma once

#include <memory>
#include <string>

#include "base/result.h"

struct nft_ctx;

namespace ljail::sys {

class Nft {
 public:
  static Result<Nft> open();

  // Runs `cmds` (nft(8) syntax, one command a line) as one transaction: the kernel applies
  // all of them or none. Returns what nft prints (listings); a refusal carries nft's first
  // error line.
  Result<std::string> run(const std::string& cmds);

 private:
  struct Free {
    void operator()(struct nft_ctx* c) const;
  };
  explicit Nft(struct nft_ctx* c) : ctx_(c) {}
  std::unique_ptr<struct nft_ctx, Free> ctx_;
};

}  // namespace ljail::sys
