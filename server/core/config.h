// The server's configuration. Values come from command-line flags or PSEA_* environment
// variables (flags win); cli/ fills this struct, everything else only reads it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace psea {

struct Config {
  std::string db_url = "sqlite:./psea-data/psea.db";
  std::string listen = "127.0.0.1:8080";
  int threads = 2;                       // request workers (database, hashing)
  std::string web_dir;                   // built web assets; empty: found by core/share.h
  std::string share_dir;                 // shipped files (data/, web/); empty: core/share.h
  std::string data_dir = "./psea-data";  // server key, encrypted files
  std::string port_file;                 // when set, the bound port is written there
  bool trust_proxy = false;              // believe X-Forwarded-Proto/For from the proxy
  // With trust_proxy: the proxies' addresses, comma-separated. When set, X-Forwarded-* is
  // believed only on connections from one of them; required unless psea listens on loopback.
  std::string trusted_proxies;
  bool cookie_secure = false;  // always mark the session cookie Secure (TLS deployments)
  int session_idle_seconds = 30 * 60;
  int session_absolute_seconds = 12 * 60 * 60;
  // Public reports accepted per source address per hour (a shared phone or a cyber café is
  // one address; behind a proxy, use --trust-proxy so the address is the client's).
  int public_reports_per_hour = 30;
  // Public reports accepted per minute from everybody; beyond it /report names the hotlines.
  int public_reports_per_minute = 120;
  // The first part of allegation case references ("MINUSCA-2026-0042"): 1 to 16 capital
  // letters or digits.
  std::string case_prefix = "MINUSCA";
  // A service provider's entry not verified for more than this many days shows as stale.
  int provider_stale_days = 180;
  // How reporters reach the team besides this server, shown on /report and in SMS replies:
  // the free hotlines (comma-separated), an e-mail address and a short text (empty: none).
  std::string public_hotlines = "4044,4445";
  // The SMS outbox (replies sent through a gateway's API): the first retry delay, doubled at
  // each failure up to an hour; given up after a day.
  std::int64_t sms_retry_base_ms = 30 * 1000;
  std::string public_email;
  std::string public_contact_text;
  // The languages /report offers (comma-separated catalog codes, the first is the default)
  // and the folder of their catalogs (empty: data/i18n/report in the share folder,
  // core/share.h).
  std::string public_languages = "fr,en";
  std::string public_catalogs_dir;
  // Urgent complaints are also e-mailed to these addresses (comma-separated) when set.
  std::string alert_email_to;
  std::string alert_email_from = "psea@localhost";
  std::string alert_sendmail = "/usr/sbin/sendmail -t -oi";
  // The mail outbox's retry schedule (modules/mail/model.h): a refused message is tried again
  // 1, 5, 15 and 60 units later, then every 60, and given up after 1440. A minute, except in
  // tests.
  std::int64_t mail_retry_unit_ms = 60 * 1000;
  // With alert_email_to: e-mail the audit anchor (the head's ID:HASH) at start and daily.
  bool audit_anchor_email = true;
  // The server's daily retention run (modules/retention): the UTC hour it starts at, or -1
  // for none (when a timer runs `psea retention run` instead).
  int retention_hour = 2;
  // Case reminders (app/reminders.h), with alert_email_to: from this UTC hour each day the
  // server looks every reminder_poll_seconds for overdue and due-soon clocks (due within
  // reminder_within_days) and mails each officer one digest a day at most; -1: never.
  int reminder_hour = 6;
  int reminder_poll_seconds = 600;
  int reminder_within_days = 7;
  std::string argon2_profile = "interactive";  // interactive | moderate | fast (tests only)
  std::string log_level = "info";
  bool demo = false;  // create a demo database when none exists
  // Only `migrate`, `demo`, `serve` and `generate` create a missing database (and its
  // server.key); every other command refuses one, so that a mistyped --db creates nothing.
  bool may_create_database = false;
  // `psea intake email`: send the reporter an acknowledgement with the receipt code from this
  // address (empty: never), through this sendmail program (run without a shell).
  std::string email_ack_from;
  std::string email_ack_sendmail = "/usr/sbin/sendmail";
};

struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;
};

// Accepts "HOST:PORT" and "[V6]:PORT"; port 0 asks the system for a free one.
Result<ListenAddress> ParseListenAddress(const std::string& text);

// "a, b,,c" -> {"a", "b", "c"}: the items of a comma-separated setting, trimmed, empty ones
// dropped.
std::vector<std::string> SplitCommaList(std::string_view text);

// Checks ranges and combinations; kInvalidArgument naming the bad setting.
Status ValidateConfig(const Config& config);
// The proxy part of ValidateConfig: trusted_proxies must be IP addresses and needs
// trust_proxy; trust_proxy on a listen host other than loopback needs trusted_proxies.
Status ValidateProxySettings(const Config& config);

}  // namespace psea
