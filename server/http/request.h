// The HTTP types every handler sees. They carry no Beast or Asio types, so modules compile
// without those headers; http/server.cc converts at the edge.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace psea::http {

// Header names compare case-insensitively.
struct CaseInsensitiveLess {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const;
};
using Headers = std::multimap<std::string, std::string, CaseInsensitiveLess>;

struct HttpRequest {
  std::string method;                        // "GET", "POST", ...
  std::string target;                        // as sent: path and query
  std::string path;                          // percent-decoded path
  std::map<std::string, std::string> query;  // decoded; the last value wins
  std::vector<std::string> repeated_query;   // names given more than once (refused: http/query.h)
  Headers headers;
  std::string body;
  std::string remote_address;  // the peer, or the client named by a trusted proxy
  bool secure = false;         // TLS, or a trusted proxy said https
  std::string request_id;

  // The first value of a header, or nullopt.
  std::optional<std::string_view> Header(std::string_view name) const;
  // A cookie value from the Cookie header(s).
  std::optional<std::string> Cookie(std::string_view name) const;
  std::optional<std::string_view> Query(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  Headers headers;
  std::string body;
  // Set by the pipeline for the wire (http/wire.h): X-Request-Id, and whether to add HSTS.
  std::string request_id;
  bool secure = false;

  void SetHeader(std::string name, std::string value);
  bool HasHeader(std::string_view name) const;
};

// Which connections may tell psea the client's address and scheme (X-Forwarded-For,
// X-Forwarded-Proto): none when !enabled; with enabled, those whose peer is one of `proxies`
// (canonical addresses, core/address.h), or every peer when `proxies` is empty (allowed by
// ValidateProxySettings only when psea listens on loopback).
struct ProxyTrust {
  bool enabled = false;
  std::vector<std::string> proxies;
  bool Trusts(std::string_view peer) const;
};

// Where a request comes from. From a trusted proxy: the last address of X-Forwarded-For, all
// of its header lines joined in order (RFC 9110 5.3), which is the one the adjacent proxy added;
// what comes before it was written by the client and may be forged. The peer when the proxy is
// not trusted, the header is absent, or its last item is not an IP address.
std::string ClientAddress(const Headers& headers, std::string_view peer, const ProxyTrust& trust);

// A header value sent percent-encoded (X-Filename: r%C3%A9cit.pdf); a malformed escape is
// kept as it is.
std::string PercentDecodeHeader(std::string_view text);
// Splits "a=1&b=two" into decoded pairs; false when malformed (bad percent escape). A name
// given twice keeps its last value and, when `repeated` is given, is added to it once.
bool ParseQueryString(std::string_view query, std::map<std::string, std::string>& out,
                      std::vector<std::string>* repeated = nullptr);
// Splits a target into a decoded path and query; false when malformed.
bool ParseTarget(std::string_view target, std::string& path,
                 std::map<std::string, std::string>& query,
                 std::vector<std::string>* repeated = nullptr);

}  // namespace psea::http
