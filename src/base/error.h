// Error: a failure as a value, with the errno-compatible code, the operation that failed and
// the context frames around it, outermost first. Rendered FreeBSD style by message():
//   creating jail "www": mounting /proc: Permission denied
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace ljail {

class Error {
 public:
  Error() = default;

  // A failed system call: message() appends strerror(code).
  static Error sys(int code, std::string op);
  // A failure that is fully described by its text (bad input, policy refusals).
  static Error invalid(std::string text);
  static Error not_found(std::string text);
  static Error exists(std::string text);
  // Any code with a complete text.
  static Error with_code(int code, std::string text);

  int code() const { return code_; }
  const std::string& op() const { return op_; }
  const std::vector<std::string>& context() const { return context_; }
  const std::vector<Error>& notes() const { return notes_; }

  // Adds an outer context frame ("creating jail \"www\"").
  Error& add_context(std::string frame);
  // Attaches a failure that happened while rolling back; the primary error stays primary.
  Error& add_note(Error note);

  // "ctx1: ctx2: op[: strerror]".
  std::string message() const;

 private:
  Error(int code, std::string op, bool show_errno)
      : code_(code), op_(std::move(op)), show_errno_(show_errno) {}

  int code_ = 0;
  std::string op_;
  bool show_errno_ = false;
  std::vector<std::string> context_;
  std::vector<Error> notes_;
};

}  // namespace ljail
