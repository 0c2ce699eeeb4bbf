#include "core/config.h"

#include <gtest/gtest.h>

namespace psea {
namespace {

struct ProxyCase {
  const char* listen;
  bool trust_proxy;
  const char* trusted_proxies;
  bool ok;
};

TEST(ConfigTest, TrustProxyOffLoopbackNeedsTheProxiesAddresses) {
  const ProxyCase cases[] = {
      {"127.0.0.1:8080", false, "", true},
      {"0.0.0.0:8080", false, "", true},
      {"127.0.0.1:8080", true, "", true},  // only this host can connect
      {"[::1]:8080", true, "", true},
      {"0.0.0.0:8080", true, "", false},  // anyone could write X-Forwarded-For
      {"[::]:8080", true, "", false},
      {"10.0.0.5:8080", true, "", false},
      {"0.0.0.0:8080", true, "10.0.0.2", true},
      {"0.0.0.0:8080", true, "10.0.0.2, 2001:db8::2", true},
      {"0.0.0.0:8080", true, "10.0.0.0/8", false},  // addresses, not ranges
      {"0.0.0.0:8080", true, "proxy.local", false},
      {"127.0.0.1:8080", false, "10.0.0.2", false},  // proxies named but not trusted
  };
  for (const auto& c : cases) {
    Config config;
    config.listen = c.listen;
    config.trust_proxy = c.trust_proxy;
    config.trusted_proxies = c.trusted_proxies;
    const Status status = ValidateConfig(config);
    EXPECT_EQ(status.ok(), c.ok) << c.listen << " " << c.trusted_proxies << ": "
                                 << status.ToString();
    if (!c.ok) {
      EXPECT_EQ(status.field(), "trusted_proxies");
    }
  }
}

TEST(ConfigTest, PublicReportLimitsArePositive) {
  Config config;
  EXPECT_TRUE(ValidateConfig(config).ok());
  config.public_reports_per_minute = 0;
  EXPECT_EQ(ValidateConfig(config).code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace psea
