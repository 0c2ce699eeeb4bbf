#include "core/config.h"

#include <charconv>

#include "core/address.h"

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
  RETURN_IF_ERROR(ValidateProxySettings(config));
  if (config.argon2_profile != "interactive" && config.argon2_profile != "moderate" &&
      config.argon2_profile != "fast") {
    return InvalidArgument("argon2 profile must be interactive, moderate or fast",
                           "argon2_profile");
  }
  return Status::Ok();
}

}  // namespace psea
