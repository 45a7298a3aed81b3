#include "sys/nft.h"

#include <dlfcn.h>
#include <nftables/libnftables.h>

#include <cerrno>

#include "base/strings.h"

namespace ljail::sys {

namespace {

// libnftables and what it pulls in (libnftnl, libxtables, libjansson, libgmp) are loaded only
// by a jail(8) that makes or removes an ip4.nat table: every other command starts without
// them. The prototypes come from libnftables' own header.
struct Api {
  decltype(&nft_ctx_new) ctx_new = nullptr;
  decltype(&nft_ctx_free) ctx_free = nullptr;
  decltype(&nft_ctx_buffer_output) buffer_output = nullptr;
  decltype(&nft_ctx_buffer_error) buffer_error = nullptr;
  decltype(&nft_ctx_get_output_buffer) output_buffer = nullptr;
  decltype(&nft_ctx_get_error_buffer) error_buffer = nullptr;
  decltype(&nft_run_cmd_from_buffer) run = nullptr;
};

template <class F>
bool bind(void* lib, const char* name, F& fn) {
  fn = reinterpret_cast<F>(::dlsym(lib, name));
  return fn != nullptr;
}

Result<const Api*> api() {
  static Api loaded;
  static std::string failure;
  static bool tried = false;
  if (!tried) {
    tried = true;
    void* lib = ::dlopen("libnftables.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
      failure = ::dlerror();
    } else if (!bind(lib, "nft_ctx_new", loaded.ctx_new) ||
               !bind(lib, "nft_ctx_free", loaded.ctx_free) ||
               !bind(lib, "nft_ctx_buffer_output", loaded.buffer_output) ||
               !bind(lib, "nft_ctx_buffer_error", loaded.buffer_error) ||
               !bind(lib, "nft_ctx_get_output_buffer", loaded.output_buffer) ||
               !bind(lib, "nft_ctx_get_error_buffer", loaded.error_buffer) ||
               !bind(lib, "nft_run_cmd_from_buffer", loaded.run)) {
      failure = "libnftables.so.1: a function is missing";
      loaded = Api{};
    }
  }
  if (!loaded.ctx_new) return Error::invalid("nftables: " + failure);
  return &loaded;
}

}  // namespace

void Nft::Free::operator()(struct nft_ctx* c) const {
  if (auto a = api()) (*a)->ctx_free(c);
}

Result<Nft> Nft::open() {
  const Api* a = LJ_TRY(api());
  struct nft_ctx* c = a->ctx_new(NFT_CTX_DEFAULT);
  if (!c) return Error::sys(ENOMEM, "nftables context");
  Nft nft(c);
  // Output and errors go to buffers, never to ljail's stdout and stderr.
  if (a->buffer_output(c) != 0 || a->buffer_error(c) != 0) {
    return Error::sys(ENOMEM, "nftables context");
  }
  return nft;
}

Result<std::string> Nft::run(const std::string& cmds) {
  const Api* a = LJ_TRY(api());
  if (a->run(ctx_.get(), cmds.c_str()) != 0) {
    std::string err = a->error_buffer(ctx_.get());
    std::string first(trim(std::string_view(err).substr(0, err.find('\n'))));
    if (first.rfind("Error: ", 0) == 0) first = first.substr(7);
    return Error::invalid("nftables: " + (first.empty() ? "command refused" : first));
  }
  return std::string(a->output_buffer(ctx_.get()));
}

}  // namespace ljail::sys
