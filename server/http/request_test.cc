#include "http/request.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace psea::http {
namespace {

Headers Forwarded(std::vector<std::string> lines) {
  Headers headers;
  headers.emplace("Host", "psea.example.org");
  for (auto& line : lines) headers.emplace("X-Forwarded-For", std::move(line));
  return headers;
}

TEST(ClientAddressTest, WithoutTrustThePeerIsTheClient) {
  const ProxyTrust off;
  EXPECT_EQ(ClientAddress(Forwarded({"203.0.113.9"}), "192.0.2.1", off), "192.0.2.1");
}

TEST(ClientAddressTest, TheLastHopOfAllLinesJoinedInOrder) {
  ProxyTrust loopback{.enabled = true, .proxies = {}};
  const std::string peer = "127.0.0.1";
  struct Case {
    std::vector<std::string> lines;
    std::string client;
  };
  const Case cases[] = {
      {{"203.0.113.9"}, "203.0.113.9"},
      {{"6.6.6.6, 203.0.113.9"}, "203.0.113.9"},  // the client wrote the first one
      // The client's own line first, the proxy's line last: the proxy's address wins, not
      // the forged one a reader of only the first line would take.
      {{"6.6.6.6", "203.0.113.9"}, "203.0.113.9"},
      {{"6.6.6.6, 7.7.7.7", " 2001:db8::5 "}, "2001:db8::5"},
      {{"203.0.113.9", ""}, "203.0.113.9"},
      {{"203.0.113.9,"}, "203.0.113.9"},
      {{"::ffff:203.0.113.9"}, "203.0.113.9"},
      {{}, "127.0.0.1"},                          // no header: the peer
      {{"203.0.113.9", "unknown"}, "127.0.0.1"},  // not an address: the peer
      {{"203.0.113.9:4711"}, "127.0.0.1"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ClientAddress(Forwarded(c.lines), peer, loopback), c.client)
        << (c.lines.empty() ? "(none)" : c.lines.front());
  }
}

TEST(ClientAddressTest, OnlyTheNamedProxiesAreBelieved) {
  ProxyTrust named{.enabled = true, .proxies = {"10.0.0.2", "2001:db8::2"}};
  const Headers headers = Forwarded({"203.0.113.9"});
  EXPECT_EQ(ClientAddress(headers, "10.0.0.2", named), "203.0.113.9");
  EXPECT_EQ(ClientAddress(headers, "::ffff:10.0.0.2", named), "203.0.113.9");
  EXPECT_EQ(ClientAddress(headers, "2001:db8:0::2", named), "203.0.113.9");
  // A client that reaches the port directly keeps its own address.
  EXPECT_EQ(ClientAddress(headers, "198.51.100.4", named), "198.51.100.4");
  EXPECT_FALSE(named.Trusts("198.51.100.4"));
  EXPECT_FALSE(ProxyTrust{}.Trusts("10.0.0.2"));
}

}  // namespace
}  // namespace psea::http
