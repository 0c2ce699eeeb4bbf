// The HTTP/1.1 server: Boost.Beast over Asio C++20 coroutines. One io thread parses and
// writes; handlers run on a pool of worker threads so that database calls and password
// hashing never block the event loop. Limits: headers 16 KiB, bodies per route (1 MiB by
// default), a deadline for each read against slow clients, keep-alive with an idle timeout.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/result.h"
#include "http/pipeline.h"

namespace psea::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  int worker_threads = 2;
  int io_threads = 1;
  std::chrono::seconds header_timeout{10};
  std::chrono::seconds body_timeout{60};
  std::chrono::seconds idle_timeout{75};
  ProxyTrust proxy;  // who may name the client (X-Forwarded-For) and the scheme
};

class HttpServer {
 public:
  HttpServer(ServerOptions options, Pipeline& pipeline);
  ~HttpServer();
  // Binds and listens; returns the bound port (useful with port 0).
  Result<std::uint16_t> Start();
  // Serves until SIGINT/SIGTERM or Stop().
  void Run();
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace psea::http
