#include "http/router.h"

#include <charconv>
#include <stdexcept>

namespace psea::http {

Result<std::int64_t> RequestContext::IdParam(std::string_view name) const {
  auto found = path_params.find(std::string(name));
  if (found == path_params.end()) return NotFound("no such record");
  const std::string& text = found->second;
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value <= 0) {
    return NotFound("no such record");
  }
  return value;
}

void Router::Add(Route route) {
  for (const auto& existing : routes_) {
    if (existing->method == route.method && existing->pattern == route.pattern) {
      throw std::logic_error("duplicate route " + route.method + " " + route.pattern);
    }
  }
  routes_.push_back(std::make_unique<Route>(std::move(route)));
}

bool Router::MatchPattern(std::string_view pattern, std::string_view path,
                          std::map<std::string, std::string>* params) {
  while (!pattern.empty() || !path.empty()) {
    if (pattern.empty() || path.empty() || pattern.front() != '/' || path.front() != '/') {
      return false;
    }
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    const auto pattern_end = pattern.find('/');
    const auto path_end = path.find('/');
    const std::string_view pattern_segment = pattern.substr(0, pattern_end);
    const std::string_view path_segment = path.substr(0, path_end);
    if (pattern_segment.size() > 2 && pattern_segment.front() == '{' &&
        pattern_segment.back() == '}') {
      if (path_segment.empty()) return false;
      if (params) {
        (*params)[std::string(pattern_segment.substr(1, pattern_segment.size() - 2))] =
            std::string(path_segment);
      }
    } else if (pattern_segment != path_segment) {
      return false;
    }
    pattern =
        pattern_end == std::string_view::npos ? std::string_view() : pattern.substr(pattern_end);
    path = path_end == std::string_view::npos ? std::string_view() : path.substr(path_end);
  }
  return true;
}

RouteMatch Router::Match(std::string_view method, std::string_view path) const {
  RouteMatch match;
  for (const auto& route : routes_) {
    std::map<std::string, std::string> params;
    if (!MatchPattern(route->pattern, path, &params)) continue;
    if (route->method == method || (method == "HEAD" && route->method == "GET")) {
      match.route = route.get();
      match.path_params = std::move(params);
      match.allowed_methods.clear();
      return match;
    }
    match.allowed_methods.push_back(route->method);
  }
  return match;
}

}  // namespace psea::http
