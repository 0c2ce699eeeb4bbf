// Client addresses as text, the way throttles and the proxy check need them. Plain functions
// over inet_pton/inet_ntop: no sockets, no Asio.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace psea {

// The canonical text of an IP address: "192.0.2.7", "2001:db8::1". An IPv4-mapped IPv6
// address ("::ffff:192.0.2.7") is the IPv4 address it maps. nullopt when `text` is not an
// IPv4 or IPv6 address (a zone suffix such as "%eth0" is not accepted).
std::optional<std::string> CanonicalAddress(std::string_view text);

// The key a per-address throttle counts under: an IPv4 address as itself, an IPv6 address by
// its /64 ("2001:db8:1:2::/64"), because one subscriber, phone or server gets a whole /64 and
// can change the low 64 bits at will. An IPv4-mapped IPv6 address counts as the IPv4 address.
// Text that is not an address (the generator's labels, "unknown") is its own key.
std::string ThrottleKey(std::string_view address);

// True for 127.0.0.0/8, ::1 and their IPv4-mapped forms; false for anything else, including
// text that is not an address.
bool IsLoopbackAddress(std::string_view address);

// "10.0.0.2, 10.0.0.3" -> the canonical addresses; nullopt naming nothing when one of the
// comma-separated items is not an address. Empty text gives an empty list.
std::optional<std::vector<std::string>> ParseAddressList(std::string_view text);

}  // namespace psea
