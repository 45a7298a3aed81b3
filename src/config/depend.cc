#include "config/depend.h"

#include <map>

namespace ljail::config {

namespace {

// The configured parent of a hierarchical name: "a.b.c" -> "a.b", if present.
std::string parent_of(const std::string& name) {
  auto dot = name.rfind('.');
  return dot == std::string::npos ? "" : name.substr(0, dot);
}

}  // namespace

DependOrder order_jails(const std::vector<DependNode>& nodes, bool allow_undefined) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < nodes.size(); ++i) index.emplace(nodes[i].name, i);
  DependOrder out;
  out.waits_for.resize(nodes.size());
  out.errors.resize(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    for (const auto& d : nodes[i].depends) {
      auto it = index.find(d);
      if (it == index.end()) {
        if (!allow_undefined && out.errors[i].empty()) {
          out.errors[i] = "depends on undefined jail \"" + d + "\"";
        }
        continue;
      }
      out.waits_for[i].push_back(it->second);
    }
    // A "light" dependency on the parent, only when the parent is configured.
    if (auto it = index.find(parent_of(nodes[i].name)); it != index.end()) {
      out.waits_for[i].push_back(it->second);
    }
  }
  // Depth-first, in input order: 0 unvisited, 1 on the stack, 2 done.
  std::vector<int> mark(nodes.size(), 0);
  std::vector<std::pair<size_t, size_t>> stack;  // node, next dependency to look at
  for (size_t start = 0; start < nodes.size(); ++start) {
    if (mark[start]) continue;
    stack.emplace_back(start, 0);
    mark[start] = 1;
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      if (next < out.waits_for[node].size()) {
        size_t dep = out.waits_for[node][next++];
        if (mark[dep] == 1) {
          // Every jail from `dep` up the stack is on the loop.
          for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
            out.errors[it->first] = "dependency loop";
            if (it->first == dep) break;
          }
          continue;
        }
        if (mark[dep] == 0) {
          mark[dep] = 1;
          stack.emplace_back(dep, 0);
        }
        continue;
      }
      mark[node] = 2;
      out.order.push_back(node);
      stack.pop_back();
    }
  }
  return out;
}

}  // namespace ljail::config
