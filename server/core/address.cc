#include "core/address.h"

#include <arpa/inet.h>

#include <array>
#include <cstring>

namespace psea {

namespace {

constexpr std::array<unsigned char, 12> kMappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

struct Parsed {
  bool v6 = false;
  std::array<unsigned char, 16> bytes{};  // v4 uses the first 4
};

std::optional<Parsed> Parse(std::string_view text) {
  // inet_pton needs a NUL-terminated string; an address is never longer than this.
  if (text.empty() || text.size() > INET6_ADDRSTRLEN) return std::nullopt;
  char buffer[INET6_ADDRSTRLEN + 1];
  std::memcpy(buffer, text.data(), text.size());
  buffer[text.size()] = '\0';
  Parsed parsed;
  if (::inet_pton(AF_INET, buffer, parsed.bytes.data()) == 1) return parsed;
  if (::inet_pton(AF_INET6, buffer, parsed.bytes.data()) != 1) return std::nullopt;
  if (std::memcmp(parsed.bytes.data(), kMappedPrefix.data(), kMappedPrefix.size()) == 0) {
    std::memmove(parsed.bytes.data(), parsed.bytes.data() + 12, 4);
    std::memset(parsed.bytes.data() + 4, 0, 12);
    return parsed;
  }
  parsed.v6 = true;
  return parsed;
}

std::string Format(const Parsed& parsed) {
  char buffer[INET6_ADDRSTRLEN];
  ::inet_ntop(parsed.v6 ? AF_INET6 : AF_INET, parsed.bytes.data(), buffer, sizeof buffer);
  return buffer;
}

}  // namespace

std::optional<std::string> CanonicalAddress(std::string_view text) {
  auto parsed = Parse(text);
  if (!parsed) return std::nullopt;
  return Format(*parsed);
}

std::string ThrottleKey(std::string_view address) {
  auto parsed = Parse(address);
  if (!parsed) return std::string(address);
  if (!parsed->v6) return Format(*parsed);
  std::memset(parsed->bytes.data() + 8, 0, 8);
  return Format(*parsed) + "/64";
}

bool IsLoopbackAddress(std::string_view address) {
  auto parsed = Parse(address);
  if (!parsed) return false;
  if (!parsed->v6) return parsed->bytes[0] == 127;
  static constexpr std::array<unsigned char, 16> kLoopback6 = {0, 0, 0, 0, 0, 0, 0, 0,
                                                               0, 0, 0, 0, 0, 0, 0, 1};
  return parsed->bytes == kLoopback6;
}

std::optional<std::vector<std::string>> ParseAddressList(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const auto comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (item.empty()) continue;
    auto canonical = CanonicalAddress(item);
    if (!canonical) return std::nullopt;
    out.push_back(std::move(*canonical));
  }
  return out;
}

}  // namespace psea
