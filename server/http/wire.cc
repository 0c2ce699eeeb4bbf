#include "http/wire.h"

#include <array>
#include <charconv>

namespace psea::http {

namespace {

struct ConstantHeader {
  std::string_view name;
  std::string_view value;
};

// Strict-Transport-Security is last: it is only sent on secure requests.
constexpr std::array<ConstantHeader, 8> kSecurityHeaders{{
    {"Content-Security-Policy",
     "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
     "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
     "form-action 'self'; frame-ancestors 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"X-Frame-Options", "DENY"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
    {"Cross-Origin-Resource-Policy", "same-origin"},
    {"Permissions-Policy", "camera=(), microphone=(), geolocation=()"},
    {"Strict-Transport-Security", "max-age=31536000; includeSubDomains"},
}};
constexpr std::size_t kHstsIndex = kSecurityHeaders.size() - 1;

std::string BuildBlock(bool secure) {
  std::string block;
  for (std::size_t i = 0; i < kSecurityHeaders.size(); ++i) {
    if (i == kHstsIndex && !secure) continue;
    block.append(kSecurityHeaders[i].name).append(": ").append(kSecurityHeaders[i].value);
    block.append("\r\n");
  }
  return block;
}

const std::string& Block(bool secure) {
  static const std::string plain = BuildBlock(false);
  static const std::string with_hsts = BuildBlock(true);
  return secure ? with_hsts : plain;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

void AppendValue(std::string& out, std::string_view value) {
  for (char c : value) out.push_back(c == '\r' || c == '\n' ? ' ' : c);
}

void AppendNumber(std::string& out, std::size_t number) {
  std::array<char, 24> digits;
  auto [end, error] = std::to_chars(digits.data(), digits.data() + digits.size(), number);
  out.append(digits.data(), end);
}

}  // namespace

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Range Not Satisfiable";
    case 422:
      return "Unprocessable Content";
    case 423:
      return "Locked";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Unknown";
  }
}

void AppendResponseHead(std::string& out, const HttpResponse& response, unsigned version,
                        bool keep_alive, std::size_t content_length) {
  const int status = response.status >= 100 && response.status <= 999 ? response.status : 500;
  out.append(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  AppendNumber(out, static_cast<std::size_t>(status));
  out.push_back(' ');
  out.append(ReasonPhrase(status));
  out.append("\r\n");

  unsigned overridden = 0;  // bit i: the response set kSecurityHeaders[i] itself
  bool cache_control = false;
  for (const auto& [name, value] : response.headers) {
    for (std::size_t i = 0; i < kSecurityHeaders.size(); ++i) {
      if (EqualsIgnoreCase(name, kSecurityHeaders[i].name)) overridden |= 1u << i;
    }
    if (EqualsIgnoreCase(name, "Cache-Control")) cache_control = true;
    // Framing is ours alone: a handler's own length or connection header would lie.
    if (EqualsIgnoreCase(name, "Content-Length") || EqualsIgnoreCase(name, "Connection") ||
        EqualsIgnoreCase(name, "Transfer-Encoding")) {
      continue;
    }
    out.append(name).append(": ");
    AppendValue(out, value);
    out.append("\r\n");
  }
  if (overridden == 0) {
    out.append(Block(response.secure));
  } else {
    for (std::size_t i = 0; i < kSecurityHeaders.size(); ++i) {
      if ((overridden & (1u << i)) != 0 || (i == kHstsIndex && !response.secure)) continue;
      out.append(kSecurityHeaders[i].name).append(": ").append(kSecurityHeaders[i].value);
      out.append("\r\n");
    }
  }
  if (!cache_control) out.append("Cache-Control: no-store\r\n");
  if (!response.request_id.empty()) {
    out.append("X-Request-Id: ");
    AppendValue(out, response.request_id);
    out.append("\r\n");
  }
  if (status != 204 && status != 304 && status >= 200) {
    out.append("Content-Length: ");
    AppendNumber(out, content_length);
    out.append("\r\n");
  }
  if (version >= 11 && !keep_alive) out.append("Connection: close\r\n");
  if (version == 10 && keep_alive) out.append("Connection: keep-alive\r\n");
  out.append("\r\n");
}

}  // namespace psea::http
