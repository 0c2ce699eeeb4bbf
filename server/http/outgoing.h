// Requests psea makes to other services (an SMS gateway's API for replies). Domain code sees
// only this interface; http/curl_client.cc implements it with libcurl (HTTPS with the system's
// certificates, the proxies of the usual environment variables), and tests pass fakes.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace psea::http {

struct OutgoingRequest {
  std::string url;  // http:// or https://
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // HTTP Basic credentials; none when basic_user is empty.
  std::string basic_user;
  std::string basic_password;
};

struct OutgoingResponse {
  int status = 0;
  std::string body;  // at most 64 KiB kept
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // POSTs the request. kUnavailable when no answer came (connection refused, timeout, TLS);
  // any answer, whatever its status, is a response. Thread-safe.
  virtual Result<OutgoingResponse> Post(const OutgoingRequest& request) = 0;
};

// libcurl, `timeout` for the whole exchange; follows no redirect.
std::unique_ptr<HttpClient> MakeCurlHttpClient(std::chrono::seconds timeout);

}  // namespace psea::http
