#include "sys/nft.h"

#include <nftables/libnftables.h>

#include <cerrno>

#include "base/strings.h"

namespace ljail::sys {

void Nft::Free::operator()(struct nft_ctx* c) const {
  nft_ctx_free(c);
}

Result<Nft> Nft::open() {
  struct nft_ctx* c = nft_ctx_new(NFT_CTX_DEFAULT);
  if (!c) return Error::sys(ENOMEM, "nftables context");
  Nft nft(c);
  // Output and errors go to buffers, never to ljail's stdout and stderr.
  if (nft_ctx_buffer_output(c) != 0 || nft_ctx_buffer_error(c) != 0) {
    return Error::sys(ENOMEM, "nftables context");
  }
  return nft;
}

Result<std::string> Nft::run(const std::string& cmds) {
  if (nft_run_cmd_from_buffer(ctx_.get(), cmds.c_str()) != 0) {
    std::string err = nft_ctx_get_error_buffer(ctx_.get());
    std::string first(trim(std::string_view(err).substr(0, err.find('\n'))));
    if (first.rfind("Error: ", 0) == 0) first = first.substr(7);
    return Error::invalid("nftables: " + (first.empty() ? "command refused" : first));
  }
  return std::string(nft_ctx_get_output_buffer(ctx_.get()));
}

}  // namespace ljail::sys
