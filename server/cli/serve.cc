#include "cli/common.h"
#include "core/log.h"

namespace psea::cli {

void AddServeOptions(CLI::App& command, Config& config) {
  command
      .add_option("--listen", config.listen, "Address to listen on, HOST:PORT (port 0: any free)")
      ->envname("PSEA_LISTEN")
      ->capture_default_str();
  command.add_option("--threads", config.threads, "Worker threads for requests")
      ->envname("PSEA_THREADS")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  command
      .add_option("--web", config.web_dir,
                  "Folder of the built web app (default: web/ or web/dist/ in the share folder)")
      ->envname("PSEA_WEB_DIR");
  command
      .add_option("--share-dir", config.share_dir,
                  "Folder of the files psea ships (data/, web/); default: the first of "
                  "BIN/../share/psea, BIN/.., ., .., /usr/share/psea that has them")
      ->envname("PSEA_SHARE_DIR");
  command.add_option("--port-file", config.port_file, "Write the bound port to this file")
      ->envname("PSEA_PORT_FILE");
  command
      .add_flag("--trust-proxy", config.trust_proxy,
                "Believe X-Forwarded-For/-Proto (only behind your own reverse proxy); the "
                "client is the last address of X-Forwarded-For. Off loopback, also give "
                "--trusted-proxies")
      ->envname("PSEA_TRUST_PROXY");
  command
      .add_option("--trusted-proxies", config.trusted_proxies,
                  "With --trust-proxy: the proxies' IP addresses, comma-separated; "
                  "X-Forwarded-* is believed only from them (required unless --listen is "
                  "loopback)")
      ->envname("PSEA_TRUSTED_PROXIES");
  command
      .add_flag("--cookie-secure", config.cookie_secure,
                "Always mark the session cookie Secure (the site is served over HTTPS)")
      ->envname("PSEA_COOKIE_SECURE");
  command.add_option("--session-idle-seconds", config.session_idle_seconds, "Idle session timeout")
      ->envname("PSEA_SESSION_IDLE_SECONDS")
      ->capture_default_str();
  command
      .add_option("--session-absolute-seconds", config.session_absolute_seconds,
                  "Absolute session lifetime")
      ->envname("PSEA_SESSION_ABSOLUTE_SECONDS")
      ->capture_default_str();
  command
      .add_option("--public-reports-per-hour", config.public_reports_per_hour,
                  "Public reports (/report) accepted per source address per hour")
      ->envname("PSEA_PUBLIC_REPORTS_PER_HOUR")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  command
      .add_option("--case-prefix", config.case_prefix,
                  "First part of allegation case references (PREFIX-YEAR-NNNN)")
      ->envname("PSEA_CASE_PREFIX")
      ->capture_default_str();
  command
      .add_option("--provider-stale-days", config.provider_stale_days,
                  "Days after which a service provider's entry not verified again shows as stale")
      ->envname("PSEA_PROVIDER_STALE_DAYS")
      ->check(CLI::Range(1, 3650))
      ->capture_default_str();
  command
      .add_option("--public-reports-per-minute", config.public_reports_per_minute,
                  "Public reports (/report) accepted per minute from everybody; beyond it the "
                  "page asks reporters to call the hotlines (429)")
      ->envname("PSEA_PUBLIC_REPORTS_PER_MINUTE")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  command
      .add_option("--sms-retry-base-ms", config.sms_retry_base_ms,
                  "First delay before a failed SMS reply (Africa's Talking, Android gateway) is "
                  "sent again; doubled at each failure up to an hour, given up after 24 hours")
      ->envname("PSEA_SMS_RETRY_BASE_MS")
      ->check(CLI::Range(std::int64_t{100}, std::int64_t{3600000}))
      ->capture_default_str();
  command
      .add_option("--public-hotlines", config.public_hotlines,
                  "Free hotline numbers, comma-separated, shown on /report (and when it is "
                  "busy) and in SMS replies")
      ->envname("PSEA_PUBLIC_HOTLINES")
      ->capture_default_str();
  command
      .add_option("--public-email", config.public_email,
                  "E-mail address for reports, shown on /report and in SMS replies (default: "
                  "none)")
      ->envname("PSEA_PUBLIC_EMAIL");
  command
      .add_option("--public-contact-text", config.public_contact_text,
                  "One line on how else to reach the team (an office, opening hours), shown "
                  "as written on /report and in SMS replies (plain ASCII suits SMS best; "
                  "default: none)")
      ->envname("PSEA_PUBLIC_CONTACT_TEXT");
  command
      .add_option("--public-languages", config.public_languages,
                  "Languages of /report, comma-separated catalog codes (the first is the "
                  "default; French is every catalog's fallback). Sango: fr,en,sg once a "
                  "native speaker has reviewed data/i18n/report/sg.json")
      ->envname("PSEA_PUBLIC_LANGUAGES")
      ->capture_default_str();
  command
      .add_option("--public-catalogs", config.public_catalogs_dir,
                  "Folder of the /report catalogs, <code>.json (default: data/i18n/report "
                  "in the share folder, see --share-dir)")
      ->envname("PSEA_PUBLIC_CATALOGS");
  command
      .add_option("--alert-email-to", config.alert_email_to,
                  "E-mail urgent complaints (reference and risk only) to these addresses, "
                  "comma-separated")
      ->envname("PSEA_ALERT_EMAIL_TO");
  command.add_option("--alert-email-from", config.alert_email_from, "Sender of the alerts")
      ->envname("PSEA_ALERT_EMAIL_FROM")
      ->capture_default_str();
  command
      .add_option("--alert-sendmail", config.alert_sendmail,
                  "Command that sends a message read on standard input")
      ->envname("PSEA_ALERT_SENDMAIL")
      ->capture_default_str();
  command
      .add_option("--mail-retry-unit-ms", config.mail_retry_unit_ms,
                  "Unit of the mail outbox's retry schedule: a message the mail command refuses "
                  "is tried again 1, 5, 15 and 60 units later, then every 60, and kept as "
                  "failed after 1440 (one minute: 24 hours). Shorter only for tests")
      ->envname("PSEA_MAIL_RETRY_UNIT_MS")
      ->check(CLI::Range(std::int64_t{10}, std::int64_t{3600000}))
      ->capture_default_str();
  command
      .add_option("--retention-hour", config.retention_hour,
                  "UTC hour (0-23) of the daily retention run, which purges what the retention "
                  "policies say is due (see `psea retention run`); -1: no run in the server")
      ->envname("PSEA_RETENTION_HOUR")
      ->check(CLI::Range(-1, 23))
      ->capture_default_str();
  AddReminderOptions(command, config);
  command
      .add_flag("--audit-anchor-email,!--no-audit-anchor-email", config.audit_anchor_email,
                "With --alert-email-to: e-mail the audit anchor (ID:HASH for `psea audit verify "
                "--anchor`) at start and every 24 hours")
      ->envname("PSEA_AUDIT_ANCHOR_EMAIL")
      ->capture_default_str();
}

void RegisterServe(CLI::App& root, Config& config, Action& run) {
  CLI::App* command = root.add_subcommand("serve", "Serve the web app and the API");
  AddStorageOptions(*command, config);
  AddServeOptions(*command, config);
  command->callback([&config, &run] {
    run = [&config] {
      log::Init(config.log_level);
      // Only `psea migrate` and `psea demo` create a database and a server key: a mistyped
      // --db or --data-dir in a unit file must stop the service, not start it on an empty one.
      auto app = app::Application::Open(config);
      if (!app.ok()) return Fail(app.status());
      Status served = (*app)->Serve();
      return served.ok() ? 0 : Fail(served);
    };
  });
}

}  // namespace psea::cli
