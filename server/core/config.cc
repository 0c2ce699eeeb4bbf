#include "core/config.h"

#include <charconv>

#include "core/address.h"
#include "core/utf8.h"

namespace psea {

Result<ListenAddress> ParseListenAddress(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return InvalidArgument("listen address must look like 127.0.0.1:8080", "listen");
  }
  ListenAddress address;
  address.host = text.substr(0, colon);
  if (address.host.size() > 2 && address.host.front() == '[' && address.host.back() == ']') {
    address.host = address.host.substr(1, address.host.size() - 2);
  }
  const std::string port = text.substr(colon + 1);
  unsigned value = 0;
  auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (error != std::errc() || end != port.data() + port.size() || value > 65535) {
    return InvalidArgument("listen port must be a number from 0 to 65535", "listen");
  }
  address.port = static_cast<std::uint16_t>(value);
  return address;
}

std::vector<std::string> SplitCommaList(std::string_view text) {
  std::vector<std::string> items;
  while (!text.empty()) {
    const auto comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) items.emplace_back(item);
  }
  return items;
}

namespace {
bool HasControlCharacter(std::string_view text) {
  for (const unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

// What the public page and the SMS replies show: they must read as intended on any phone.
Status ValidatePublicContact(const Config& config) {
  const auto hotlines = SplitCommaList(config.public_hotlines);
  if (hotlines.empty()) {
    return InvalidArgument("give at least one hotline number (--public-hotlines)",
                           "public_hotlines");
  }
  for (const auto& number : hotlines) {
    if (number.size() > 20 || number.find_first_not_of("0123456789+-() ") != std::string::npos) {
      return InvalidArgument("hotline \"" + number +
                                 "\" is not a phone number (digits, +, -, spaces, brackets; "
                                 "20 characters at most)",
                             "public_hotlines");
    }
  }
  const std::string& email = config.public_email;
  if (!email.empty()) {
    const auto at = email.find('@');
    if (email.size() > 254 || at == std::string::npos || at == 0 || at + 1 == email.size() ||
        email.find_first_of(" ,;<>\"") != std::string::npos || HasControlCharacter(email)) {
      return InvalidArgument("the reporting e-mail address is not one address", "public_email");
    }
  }
  const std::string& text = config.public_contact_text;
  if (text.size() > 300 || !IsValidUtf8(text) || HasControlCharacter(text)) {
    return InvalidArgument("the contact text must be one line of at most 300 bytes of UTF-8",
                           "public_contact_text");
  }
  const auto languages = SplitCommaList(config.public_languages);
  if (languages.empty()) {
    return InvalidArgument("give at least one language for /report (--public-languages)",
                           "public_languages");
  }
  for (std::size_t i = 0; i < languages.size(); ++i) {
    const auto& code = languages[i];
    if (code.size() < 2 || code.size() > 8 ||
        code.find_first_not_of("abcdefghijklmnopqrstuvwxyz-") != std::string::npos) {
      return InvalidArgument(
          "language \"" + code + "\" is not a catalog code (lower-case letters, as fr, en, sg)",
          "public_languages");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (languages[j] == code) {
        return InvalidArgument("language \"" + code + "\" is listed twice", "public_languages");
      }
    }
  }
  return Status::Ok();
}
}  // namespace

Status ValidateProxySettings(const Config& config) {
  const auto proxies = ParseAddressList(config.trusted_proxies);
  if (!proxies) {
    return InvalidArgument("trusted proxies must be IP addresses, comma-separated",
                           "trusted_proxies");
  }
  if (!config.trust_proxy) {
    if (!proxies->empty()) {
      return InvalidArgument("trusted proxies are given without --trust-proxy", "trusted_proxies");
    }
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(auto listen, ParseListenAddress(config.listen));
  // On loopback only a process of this host can connect, which is the proxy; anywhere else a
  // client reaching the port directly would choose its own address with X-Forwarded-For.
  if (proxies->empty() && !IsLoopbackAddress(listen.host)) {
    return InvalidArgument(
        "--trust-proxy on " + listen.host +
            " needs --trusted-proxies (the proxy's addresses): otherwise any client that "
            "reaches this port chooses its own address with X-Forwarded-For",
        "trusted_proxies");
  }
  return Status::Ok();
}

Status ValidateConfig(const Config& config) {
  RETURN_IF_ERROR(ParseListenAddress(config.listen));
  if (config.threads < 1 || config.threads > 256) {
    return InvalidArgument("threads must be between 1 and 256", "threads");
  }
  if (config.session_idle_seconds < 1 || config.session_absolute_seconds < 1) {
    return InvalidArgument("session timeouts must be positive", "session");
  }
  if (config.public_reports_per_hour < 1 || config.public_reports_per_minute < 1) {
    return InvalidArgument("public report limits must be at least 1", "public_reports");
  }
  if (config.case_prefix.empty() || config.case_prefix.size() > 16 ||
      config.case_prefix.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") !=
          std::string::npos) {
    return InvalidArgument("the case prefix is 1 to 16 capital letters or digits", "case_prefix");
  }
  if (config.provider_stale_days < 1 || config.provider_stale_days > 3650) {
    return InvalidArgument("provider entries go stale after 1 to 3650 days", "provider_stale_days");
  }
  RETURN_IF_ERROR(ValidatePublicContact(config));
  RETURN_IF_ERROR(ValidateProxySettings(config));
  if (config.argon2_profile != "interactive" && config.argon2_profile != "moderate" &&
      config.argon2_profile != "fast") {
    return InvalidArgument("argon2 profile must be interactive, moderate or fast",
                           "argon2_profile");
  }
  return Status::Ok();
}

}  // namespace psea
