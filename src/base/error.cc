#include "base/error.h"

#include <cerrno>
#include <cstring>

namespace ljail {

Error Error::sys(int code, std::string op) {
  return Error(code, std::move(op), true);
}
Error Error::invalid(std::string text) {
  return Error(EINVAL, std::move(text), false);
}
Error Error::not_found(std::string text) {
  return Error(ENOENT, std::move(text), false);
}
Error Error::exists(std::string text) {
  return Error(EEXIST, std::move(text), false);
}
Error Error::with_code(int code, std::string text) {
  return Error(code, std::move(text), false);
}

Error& Error::add_context(std::string frame) {
  context_.insert(context_.begin(), std::move(frame));
  return *this;
}

Error& Error::add_note(Error note) {
  notes_.push_back(std::move(note));
  return *this;
}

std::string Error::message() const {
  std::string out;
  for (const auto& frame : context_) {
    out += frame;
    out += ": ";
  }
  out += op_;
  if (show_errno_) {
    if (!op_.empty()) out += ": ";
    out += std::strerror(code_);
  }
  return out;
}

}  // namespace ljail
