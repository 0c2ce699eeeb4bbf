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

TEST(ConfigTest, ProviderEntriesGoStaleAfterOneDayToTenYears) {
  Config config;
  EXPECT_EQ(config.provider_stale_days, 180);
  for (int days : {1, 180, 3650}) {
    config.provider_stale_days = days;
    EXPECT_TRUE(ValidateConfig(config).ok()) << days;
  }
  for (int days : {0, -5, 3651}) {
    config.provider_stale_days = days;
    EXPECT_EQ(ValidateConfig(config).field(), "provider_stale_days") << days;
  }
}

TEST(ConfigTest, SplitCommaListTrimsAndDropsEmptyItems) {
  EXPECT_EQ(SplitCommaList("4044,4445"), (std::vector<std::string>{"4044", "4445"}));
  EXPECT_EQ(SplitCommaList(" fr , en,,sg "), (std::vector<std::string>{"fr", "en", "sg"}));
  EXPECT_TRUE(SplitCommaList("").empty());
  EXPECT_TRUE(SplitCommaList(" , ").empty());
}

struct PublicContactCase {
  const char* field;  // which setting the case changes
  const char* value;
  bool ok;
};

TEST(ConfigTest, PublicContactSettingsReadAsIntendedOnAPhone) {
  const PublicContactCase cases[] = {
      {"public_hotlines", "4044,4445", true},
      {"public_hotlines", "+236 72 00 00 00", true},
      {"public_hotlines", "", false},  // the busy page needs a number to call
      {"public_hotlines", "4044,<b>", false},
      {"public_hotlines", "123456789012345678901", false},
      {"public_email", "", true},
      {"public_email", "plaintes@example.org", true},
      {"public_email", "plaintes", false},
      {"public_email", "a@b.org, c@d.org", false},
      {"public_contact_text", "Bureau CDT, Bangui, 8 h - 16 h", true},
      {"public_contact_text", "deux\nlignes", false},
      {"public_languages", "fr,en,sg", true},
      {"public_languages", "en", true},
      {"public_languages", "", false},
      {"public_languages", "fr,FR", false},
      {"public_languages", "fr,fr", false},
      {"public_languages", "../etc", false},  // a catalog's code is part of its file name
  };
  for (const auto& c : cases) {
    Config config;
    const std::string field = c.field;
    if (field == "public_hotlines") config.public_hotlines = c.value;
    if (field == "public_email") config.public_email = c.value;
    if (field == "public_contact_text") config.public_contact_text = c.value;
    if (field == "public_languages") config.public_languages = c.value;
    const Status status = ValidateConfig(config);
    EXPECT_EQ(status.ok(), c.ok) << c.field << "=" << c.value << ": " << status.ToString();
    if (!c.ok) {
      EXPECT_EQ(status.field(), c.field);
    }
  }
  Config too_long;
  too_long.public_contact_text = std::string(301, 'x');
  EXPECT_EQ(ValidateConfig(too_long).field(), "public_contact_text");
}

}  // namespace
}  // namespace psea
