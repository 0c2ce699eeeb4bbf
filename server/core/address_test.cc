#include "core/address.h"

#include <gtest/gtest.h>

#include <string>

namespace psea {
namespace {

struct KeyCase {
  const char* address;
  const char* key;
};

TEST(ThrottleKeyTest, GroupsIpv6ByItsSlash64AndMappedIpv4AsIpv4) {
  const KeyCase cases[] = {
      {"192.0.2.7", "192.0.2.7"},
      {"::ffff:192.0.2.7", "192.0.2.7"},  // IPv4-mapped counts as the IPv4 address
      {"::FFFF:c000:0207", "192.0.2.7"},  // the same, spelt in hex
      {"2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"},
      {"2001:db8:1:2::1", "2001:db8:1:2::/64"},
      {"2001:0db8:0001:0002:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"},
      {"2001:db8:1:3::1", "2001:db8:1:3::/64"},  // the next /64 is another key
      {"::1", "::/64"},
      {"fe80::1", "fe80::/64"},
      {"unknown", "unknown"},          // not an address: itself
      {"generator-3", "generator-3"},  // psea generate's labels
      {"", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(ThrottleKey(c.address), c.key) << c.address;
}

TEST(ThrottleKeyTest, AddressesOfOneSlash64ShareAKey) {
  EXPECT_EQ(ThrottleKey("2a01:e0a:12:3450::1"), ThrottleKey("2a01:e0a:12:3450:dead:beef:0:7"));
  EXPECT_NE(ThrottleKey("2a01:e0a:12:3450::1"), ThrottleKey("2a01:e0a:12:3451::1"));
}

TEST(AddressTest, CanonicalAndLoopback) {
  EXPECT_EQ(CanonicalAddress("::ffff:127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(CanonicalAddress("2001:DB8::0001"), "2001:db8::1");
  EXPECT_EQ(CanonicalAddress("10.0.0.1:80"), std::nullopt);
  EXPECT_EQ(CanonicalAddress("fe80::1%eth0"), std::nullopt);
  EXPECT_EQ(CanonicalAddress("example.org"), std::nullopt);
  EXPECT_TRUE(IsLoopbackAddress("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackAddress("127.3.2.1"));
  EXPECT_TRUE(IsLoopbackAddress("::1"));
  EXPECT_TRUE(IsLoopbackAddress("::ffff:127.0.0.1"));
  EXPECT_FALSE(IsLoopbackAddress("0.0.0.0"));
  EXPECT_FALSE(IsLoopbackAddress("::"));
  EXPECT_FALSE(IsLoopbackAddress("192.0.2.1"));
  EXPECT_FALSE(IsLoopbackAddress("localhost"));
}

TEST(AddressTest, ParsesAListOfAddresses) {
  auto list = ParseAddressList(" 10.0.0.2, ::ffff:10.0.0.3 ,2001:db8::9,");
  ASSERT_TRUE(list.has_value());
  EXPECT_EQ(*list, (std::vector<std::string>{"10.0.0.2", "10.0.0.3", "2001:db8::9"}));
  EXPECT_EQ(ParseAddressList("")->size(), 0u);
  EXPECT_FALSE(ParseAddressList("10.0.0.2, proxy.local").has_value());
  EXPECT_FALSE(ParseAddressList("10.0.0.0/8").has_value());
}

}  // namespace
}  // namespace psea
