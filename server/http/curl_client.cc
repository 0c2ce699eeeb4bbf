#include <curl/curl.h>

#include <mutex>

#include "http/outgoing.h"

namespace psea::http {

namespace {

constexpr std::size_t kMaxResponseBytes = 64 * 1024;

std::size_t Collect(char* data, std::size_t size, std::size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  const std::size_t bytes = size * count;
  if (body->size() < kMaxResponseBytes) {
    body->append(data, std::min(bytes, kMaxResponseBytes - body->size()));
  }
  return bytes;
}

class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(std::chrono::seconds timeout) : timeout_(timeout) {
    // curl_global_init is not thread-safe: once, before any handle.
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }

  Result<OutgoingResponse> Post(const OutgoingRequest& request) override {
    CURL* curl = curl_easy_init();
    if (!curl) return Internal("libcurl could not start");
    curl_slist* headers = nullptr;
    for (const auto& [name, value] : request.headers) {
      headers = curl_slist_append(headers, (name + ": " + value).c_str());
    }
    OutgoingResponse response;
    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(timeout_.count()));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
    if (!request.basic_user.empty()) {
      curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
      curl_easy_setopt(curl, CURLOPT_USERNAME, request.basic_user.c_str());
      curl_easy_setopt(curl, CURLOPT_PASSWORD, request.basic_password.c_str());
    }
    const CURLcode code = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    if (code != CURLE_OK) {
      return Status(ErrorCode::kUnavailable, std::string("no answer: ") + curl_easy_strerror(code));
    }
    response.status = static_cast<int>(status);
    return response;
  }

 private:
  std::chrono::seconds timeout_;
};

}  // namespace

std::unique_ptr<HttpClient> MakeCurlHttpClient(std::chrono::seconds timeout) {
  return std::make_unique<CurlHttpClient>(timeout);
}

}  // namespace psea::http
