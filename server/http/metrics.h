// Prometheus metrics: request counts and latency histograms by route and status, and the
// database pool's use. Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

#include "storage/database.h"

namespace psea::http {

class Metrics {
 public:
  // `route` is the route pattern (never the raw path, which could hold ids).
  void Record(std::string_view method, std::string_view route, int status, double seconds);
  std::string Render(const storage::PoolStats& pool) const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1.0,  2.5,   5.0};
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::map<std::pair<std::string, std::string>, Histogram> durations_;
};

}  // namespace psea::http
