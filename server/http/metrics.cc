#include "http/metrics.h"

#include <cstdio>

namespace psea::http {

void Metrics::Record(std::string_view raw_method, std::string_view route, int status,
                     double seconds) {
  // Clients choose the method: only known ones become labels, so nobody can grow the table.
  std::string_view method = "OTHER";
  for (std::string_view known : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    if (raw_method == known) method = known;
  }
  std::lock_guard lock(mutex_);
  ++requests_[{std::string(method), std::string(route), status}];
  Histogram& histogram = durations_[{std::string(method), std::string(route)}];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++histogram.buckets[i];
  }
  ++histogram.count;
  histogram.sum += seconds;
}

std::string Metrics::Render(const storage::PoolStats& pool) const {
  std::string out;
  char number[64];
  out += "# HELP psea_http_requests_total HTTP requests by route and status.\n";
  out += "# TYPE psea_http_requests_total counter\n";
  std::lock_guard lock(mutex_);
  for (const auto& [key, count] : requests_) {
    const auto& [method, route, status] = key;
    out += "psea_http_requests_total{method=\"" + method + "\",route=\"" + route + "\",status=\"" +
           std::to_string(status) + "\"} " + std::to_string(count) + "\n";
  }
  out += "# HELP psea_http_request_duration_seconds Time to answer, by route.\n";
  out += "# TYPE psea_http_request_duration_seconds histogram\n";
  for (const auto& [key, histogram] : durations_) {
    const std::string labels = "method=\"" + key.first + "\",route=\"" + key.second + "\"";
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      std::snprintf(number, sizeof number, "%g", kBuckets[i]);
      out += "psea_http_request_duration_seconds_bucket{" + labels + ",le=\"" + number + "\"} " +
             std::to_string(histogram.buckets[i]) + "\n";
    }
    out += "psea_http_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} " +
           std::to_string(histogram.count) + "\n";
    std::snprintf(number, sizeof number, "%.6f", histogram.sum);
    out += "psea_http_request_duration_seconds_sum{" + labels + "} " + number + "\n";
    out += "psea_http_request_duration_seconds_count{" + labels + "} " +
           std::to_string(histogram.count) + "\n";
  }
  out += "# HELP psea_db_pool_connections Database pool size and connections in use.\n";
  out += "# TYPE psea_db_pool_connections gauge\n";
  out += "psea_db_pool_connections{state=\"size\"} " + std::to_string(pool.size) + "\n";
  out += "psea_db_pool_connections{state=\"in_use\"} " + std::to_string(pool.in_use) + "\n";
  out += "# HELP psea_db_pool_waits_total Acquisitions that waited for a free connection.\n";
  out += "# TYPE psea_db_pool_waits_total counter\n";
  out += "psea_db_pool_waits_total " + std::to_string(pool.waits) + "\n";
  return out;
}

}  // namespace psea::http
