#include "http/request.h"

#include <algorithm>
#include <cctype>

#include "core/address.h"

namespace psea::http {

bool CaseInsensitiveLess::operator()(std::string_view a, std::string_view b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) <
           std::tolower(static_cast<unsigned char>(y));
  });
}

std::optional<std::string_view> HttpRequest::Header(std::string_view name) const {
  auto found = headers.find(name);
  if (found == headers.end()) return std::nullopt;
  return std::string_view(found->second);
}

std::optional<std::string> HttpRequest::Cookie(std::string_view name) const {
  auto [begin, end] = headers.equal_range(std::string("cookie"));
  for (auto it = begin; it != end; ++it) {
    std::string_view rest = it->second;
    while (!rest.empty()) {
      const auto semicolon = rest.find(';');
      std::string_view pair = rest.substr(0, semicolon);
      rest = semicolon == std::string_view::npos ? std::string_view() : rest.substr(semicolon + 1);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      const auto equals = pair.find('=');
      if (equals == std::string_view::npos) continue;
      if (pair.substr(0, equals) == name) return std::string(pair.substr(equals + 1));
    }
  }
  return std::nullopt;
}

std::optional<std::string_view> HttpRequest::Query(std::string_view name) const {
  auto found = query.find(std::string(name));
  if (found == query.end()) return std::nullopt;
  return std::string_view(found->second);
}

void HttpResponse::SetHeader(std::string name, std::string value) {
  headers.erase(name);
  headers.emplace(std::move(name), std::move(value));
}

bool HttpResponse::HasHeader(std::string_view name) const { return headers.count(name) > 0; }

namespace {
int HexValue(char c);
}  // namespace

std::string PercentDecodeHeader(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
        HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

namespace {
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool PercentDecode(std::string_view in, bool plus_is_space, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      const int high = HexValue(in[i + 1]);
      const int low = HexValue(in[i + 2]);
      if (high < 0 || low < 0) return false;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return true;
}
}  // namespace

bool ParseQueryString(std::string_view query, std::map<std::string, std::string>& out,
                      std::vector<std::string>* repeated) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const auto equals = pair.find('=');
    std::string key, value;
    if (!PercentDecode(pair.substr(0, equals), true, key)) return false;
    if (equals != std::string_view::npos && !PercentDecode(pair.substr(equals + 1), true, value)) {
      return false;
    }
    if (repeated && out.count(key) &&
        std::find(repeated->begin(), repeated->end(), key) == repeated->end()) {
      repeated->push_back(key);
    }
    out[std::move(key)] = std::move(value);
  }
  return true;
}

bool ParseTarget(std::string_view target, std::string& path,
                 std::map<std::string, std::string>& query, std::vector<std::string>* repeated) {
  if (target.empty() || target.front() != '/') return false;
  const auto question = target.find('?');
  if (!PercentDecode(target.substr(0, question), false, path)) return false;
  if (path.find('\0') != std::string::npos) return false;
  if (question != std::string_view::npos &&
      !ParseQueryString(target.substr(question + 1), query, repeated)) {
    return false;
  }
  return true;
}

bool ProxyTrust::Trusts(std::string_view peer) const {
  if (!enabled) return false;
  if (proxies.empty()) return true;
  const auto canonical = CanonicalAddress(peer);
  return canonical && std::find(proxies.begin(), proxies.end(), *canonical) != proxies.end();
}

std::string ClientAddress(const Headers& headers, std::string_view peer, const ProxyTrust& trust) {
  if (!trust.Trusts(peer)) return std::string(peer);
  // A multimap keeps equal keys in the order they were inserted, which is the order of the
  // header lines; the last non-empty item of the last line is the adjacent proxy's.
  std::string_view last;
  const auto [begin, end] = headers.equal_range("x-forwarded-for");
  for (auto line = begin; line != end; ++line) {
    std::string_view rest = line->second;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      std::string_view item = rest.substr(0, comma);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
      while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
      if (!item.empty()) last = item;
    }
  }
  if (last.empty()) return std::string(peer);
  auto address = CanonicalAddress(last);
  return address ? *address : std::string(peer);
}

}  // namespace psea::http
