#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "app/app.h"
#include "app/reminders.h"
#include "core/address.h"
#include "core/log.h"
#include "core/share.h"
#include "http/outgoing.h"
#include "http/pipeline.h"
#include "http/server.h"

namespace psea::app {

namespace fs = std::filesystem;

namespace {
std::string FindWebDir(const Config& config) {
  if (!config.web_dir.empty()) return config.web_dir;
  // Installed: share/psea/web; a build tree: the repository's web/dist. The repository's web/
  // also holds an index.html, Vite's source one, beside package.json and node_modules: it is
  // never the app, and loading it would read thousands of files into memory at every start.
  for (const auto& root : ShareRoots(config.share_dir)) {
    for (const char* relative : {"web/dist", "web"}) {
      const fs::path folder = fs::path(root) / relative;
      std::error_code error;
      if (fs::exists(folder / "index.html", error) && !fs::exists(folder / "package.json", error))
        return folder.lexically_normal().string();
    }
  }
  return {};
}
}  // namespace

Status Application::Serve() {
  if (router_.routes().empty()) RETURN_IF_ERROR(LoadPublicCatalogs());
  RegisterRoutes();
  ASSIGN_OR_RETURN(auto listen, ParseListenAddress(config_.listen));
  std::optional<http::StaticFiles> static_files;
  const std::string web_dir = FindWebDir(config_);
  if (!web_dir.empty()) {
    auto loaded = http::StaticFiles::Load(web_dir);
    if (loaded.ok()) {
      static_files = std::move(loaded).value();
      log::Info("web_app",
                {{"folder", web_dir}, {"files", std::to_string(static_files->file_count())}});
    } else {
      log::Warn("web_app_missing", {{"detail", loaded.status().message()}});
    }
  } else {
    log::Warn("web_app_missing", {{"detail",
                                   "no web/index.html or web/dist/index.html in the share folders; "
                                   "serving the API only (give --web)"}});
  }
  accounts::SessionAuthenticator authenticator(*accounts_);
  http::Pipeline pipeline(router_, authenticator, metrics_,
                          static_files ? &*static_files : nullptr);
  http::ServerOptions options;
  options.host = listen.host;
  options.port = listen.port;
  options.worker_threads = config_.threads;
  options.proxy.enabled = config_.trust_proxy;
  // Validated by ValidateConfig in Open.
  options.proxy.proxies =
      ParseAddressList(config_.trusted_proxies).value_or(std::vector<std::string>());
  http::HttpServer server(options, pipeline);
  ASSIGN_OR_RETURN(std::uint16_t port, server.Start());
  if (!config_.port_file.empty()) {
    const std::string temporary = config_.port_file + ".tmp";
    std::ofstream(temporary) << port << "\n";
    fs::rename(temporary, config_.port_file);
  }
  log::Info("listening", {{"address", listen.host},
                          {"port", std::to_string(port)},
                          {"database", database_->Describe()},
                          {"demo", demo_ ? "true" : "false"}});
  // The server sends what earlier runs and other processes left in the mail outbox.
  if (mail_) mail_->Resume();
  if (mail_ && config_.audit_anchor_email) {
    storage::Database* database = database_.get();
    anchor_mailer_ = std::make_unique<AnchorMailer>(
        [database]() -> Result<security::AuditAnchor> {
          return database->Read<security::AuditAnchor>(
              [](storage::Connection& c) { return security::AuditLog::Head(c); });
        },
        *clock_, *mail_, config_.alert_email_from, mail_to_);
    mail_->SetTick([anchor = anchor_mailer_.get()] { anchor->Poll(); });
  }
  // The SMS outbox: replies that a gateway takes only through its own API. One thread, which
  // sleeps between rounds so that a stop is seen within a second.
  std::atomic<bool> stopping{false};
  const auto outbox_every =
      std::chrono::milliseconds(std::clamp<std::int64_t>(config_.sms_retry_base_ms / 2, 50, 1000));
  std::thread outbox([this, &stopping, outbox_every] {
    const auto client = http::MakeCurlHttpClient(std::chrono::seconds(30));
    while (!stopping.load()) {
      auto sent = intake_->SendDueSmsReplies(*client);
      if (!sent.ok()) log::Warn("sms_outbox", {{"detail", sent.status().message()}});
      std::this_thread::sleep_for(outbox_every);
    }
  });
  // The daily retention run, during the hour config_.retention_hour UTC: once a day, and at
  // start when the server starts within that hour (a second run finds nothing due). It takes
  // the database's write lock for the length of one transaction, as any write does.
  std::thread retention_run([this, &stopping] {
    if (config_.retention_hour < 0) return;
    std::string last_day;
    while (!stopping.load()) {
      const std::string now = FormatIso8601(clock_->Now());
      const std::string day = now.substr(0, 10);
      const int hour = std::stoi(now.substr(11, 2));
      if (day != last_day && hour == config_.retention_hour) {
        last_day = day;
        auto report = retention_->Run(false, {"system", ""});
        if (report.ok()) {
          std::int64_t removed = 0;
          for (const auto& kind : report->kinds) removed += kind.count;
          log::Info("retention_run", {{"removed", std::to_string(removed)},
                                      {"files", std::to_string(report->files)}});
        } else {
          log::Warn("retention_run", {{"detail", report.status().message()}});
        }
      }
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  });
  // Case reminders (app/reminders.h): from config_.reminder_hour UTC each day, every
  // reminder_poll_seconds; the cases module sends each officer one digest a day at most and
  // never the same item twice, so a run that finds nothing new sends nothing.
  std::thread reminder_run([this, &stopping] {
    if (!mail_ || config_.reminder_hour < 0) return;
    auto next = std::chrono::steady_clock::now();
    while (!stopping.load()) {
      const int hour = std::stoi(FormatIso8601(clock_->Now()).substr(11, 2));
      if (std::chrono::steady_clock::now() >= next && hour >= config_.reminder_hour) {
        next =
            std::chrono::steady_clock::now() + std::chrono::seconds(config_.reminder_poll_seconds);
        auto report = RunCaseReminders(*cases_, mail_.get(), config_.alert_email_from, mail_to_,
                                       config_.reminder_within_days, false);
        if (!report.ok()) {
          log::Warn("case_reminders", {{"detail", report.status().message()}});
        } else if (!report->digests.empty() || report->not_queued > 0) {
          log::Info("case_reminders", {{"digests", std::to_string(report->digests.size())},
                                       {"not_queued", std::to_string(report->not_queued)}});
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
  });
  server.Run();
  stopping = true;
  outbox.join();
  retention_run.join();
  reminder_run.join();
  if (mail_) mail_->Stop();  // sends what is due, for a few seconds at most; the rest waits
  log::Info("stopped");
  return Status::Ok();
}

}  // namespace psea::app
