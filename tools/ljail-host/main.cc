// ljail-host: what a static jail(8) cannot load into itself, in a program of its own, linked
// dynamically: nftables (libnftables, for ip4.nat) and the C library's name resolution (NSS,
// for ip_hostname). jail(8) executes it beside itself (src/sys/host_helper.h):
//   ljail-host nft              runs the nft(8) commands on stdin as one transaction; prints
//                               their output; on a refusal, nftables' errors on stderr, exit 1
//   ljail-host resolve NAME     prints the addresses of NAME, one a line; exit 2 and the
//                               resolver's message when there are none
#include <arpa/inet.h>
#include <netdb.h>
#include <nftables/libnftables.h>
#include <sys/socket.h>

#include <cstdio>
#include <cstring>
#include <iostream>
#include <iterator>
#include <string>

namespace {

int nft() {
  std::string cmds((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  struct nft_ctx* ctx = nft_ctx_new(NFT_CTX_DEFAULT);
  if (!ctx || nft_ctx_buffer_output(ctx) != 0 || nft_ctx_buffer_error(ctx) != 0) {
    std::fputs("nftables context: out of memory\n", stderr);
    return 1;
  }
  int rc = nft_run_cmd_from_buffer(ctx, cmds.c_str()) == 0 ? 0 : 1;
  std::fputs(nft_ctx_get_output_buffer(ctx), stdout);
  std::fputs(nft_ctx_get_error_buffer(ctx), stderr);
  nft_ctx_free(ctx);
  return rc;
}

int resolve(const char* name) {
  struct addrinfo hints = {};
  hints.ai_socktype = SOCK_STREAM;
  struct addrinfo* res = nullptr;
  if (int r = ::getaddrinfo(name, nullptr, &hints, &res); r != 0) {
    std::fprintf(stderr, "%s\n", gai_strerror(r));
    return 2;
  }
  for (struct addrinfo* a = res; a; a = a->ai_next) {
    char text[INET6_ADDRSTRLEN] = {};
    if (a->ai_family == AF_INET) {
      ::inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(a->ai_addr)->sin_addr, text,
                  sizeof(text));
    } else if (a->ai_family == AF_INET6) {
      ::inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(a->ai_addr)->sin6_addr, text,
                  sizeof(text));
    } else {
      continue;
    }
    std::printf("%s\n", text);
  }
  ::freeaddrinfo(res);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "nft") == 0) return nft();
  if (argc == 3 && std::strcmp(argv[1], "resolve") == 0) return resolve(argv[2]);
  std::fputs("usage: ljail-host nft | ljail-host resolve NAME\n", stderr);
  return 64;
}
