#include "http/server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <array>
#include <thread>
#include <vector>

#include "core/log.h"
#include "http/wire.h"

namespace psea::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::awaitable;
using asio::ip::tcp;

namespace {
constexpr std::size_t kHeaderLimit = 16 * 1024;

HttpRequest ToRequest(bhttp::request<bhttp::string_body>&& message, const std::string& peer,
                      const ProxyTrust& proxy) {
  HttpRequest request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  for (const auto& field : message) {
    request.headers.emplace(std::string(field.name_string()), std::string(field.value()));
  }
  request.body = std::move(message.body());
  request.remote_address = ClientAddress(request.headers, peer, proxy);
  if (proxy.Trusts(peer)) {
    request.secure = request.Header("x-forwarded-proto").value_or("") == "https";
  }
  return request;
}

}  // namespace

struct HttpServer::Impl {
  Impl(ServerOptions opts, Pipeline& pipe)
      : options(std::move(opts)),
        pipeline(pipe),
        io(options.io_threads),
        workers(static_cast<std::size_t>(options.worker_threads)),
        acceptor(io),
        signals(io) {}

  ServerOptions options;
  Pipeline& pipeline;
  asio::io_context io;
  asio::thread_pool workers;
  tcp::acceptor acceptor;
  asio::signal_set signals;

  // The head is built by http/wire.h in one string (the constant security headers are one
  // prebuilt block) and goes out with the body in one gathered write.
  awaitable<void> Send(beast::tcp_stream& stream, HttpResponse&& response, unsigned version,
                       bool keep_alive, bool head = false) {
    std::string head_bytes;
    head_bytes.reserve(768);
    AppendResponseHead(head_bytes, response, version, keep_alive, response.body.size());
    const bool no_body = head || response.status == 204 || response.status == 304;
    const std::array<asio::const_buffer, 2> buffers{
        asio::buffer(head_bytes), no_body ? asio::const_buffer() : asio::buffer(response.body)};
    boost::system::error_code ec;
    stream.expires_after(options.body_timeout);
    co_await asio::async_write(stream, buffers, asio::redirect_error(asio::use_awaitable, ec));
  }

  awaitable<void> Session(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    boost::system::error_code peer_error;
    const auto endpoint = stream.socket().remote_endpoint(peer_error);
    const std::string peer = peer_error ? "unknown" : endpoint.address().to_string();
    beast::flat_buffer buffer;
    bool first = true;
    while (true) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(kHeaderLimit);
      // The route decides the body limit once the header is known (below); Beast would
      // otherwise refuse a large Content-Length during the header read, as a 400.
      parser.body_limit(boost::none);
      boost::system::error_code ec;
      stream.expires_after(first ? options.header_timeout : options.idle_timeout);
      first = false;
      co_await bhttp::async_read_header(stream, buffer, parser,
                                        asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (ec == bhttp::error::header_limit) {
          HttpResponse response = pipeline.Reject(
              Status(ErrorCode::kInvalidArgument, "request headers are larger than 16 KiB"), "?",
              Pipeline::NewRequestId());
          response.status = 431;
          co_await Send(stream, std::move(response), 11, false);
        } else if (ec != bhttp::error::end_of_stream && ec != asio::error::eof &&
                   ec != beast::error::timeout && ec != asio::error::connection_reset &&
                   ec != asio::error::operation_aborted) {
          co_await Send(
              stream,
              pipeline.Reject(Status(ErrorCode::kInvalidArgument, "malformed HTTP request"), "?",
                              Pipeline::NewRequestId()),
              11, false);
        }
        break;
      }
      auto& header = parser.get();
      const unsigned version = header.version();
      const std::string method(header.method_string());
      const std::size_t limit = pipeline.BodyLimit(method, header.target());
      if (header.count(bhttp::field::transfer_encoding) > 0 && !parser.chunked()) {
        // RFC 9112 6.3: a request whose transfer coding does not end in chunked cannot be
        // framed; answering it would invite request smuggling behind a proxy.
        co_await Send(stream,
                      pipeline.Reject(Status(ErrorCode::kInvalidArgument,
                                             "Transfer-Encoding must end with chunked"),
                                      method, Pipeline::NewRequestId()),
                      version, false);
        break;
      }
      if (header.has_content_length() || parser.chunked()) {
        const auto declared = parser.content_length();
        if (declared && *declared > limit) {
          co_await Send(stream,
                        pipeline.Reject(Status(ErrorCode::kPayloadTooLarge,
                                               "the body is larger than this endpoint accepts (" +
                                                   std::to_string(limit) + " bytes)"),
                                        method, Pipeline::NewRequestId()),
                        version, false);
          break;
        }
        parser.body_limit(limit);
        stream.expires_after(options.body_timeout);
        co_await bhttp::async_read(stream, buffer, parser,
                                   asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
          if (ec == bhttp::error::body_limit) {
            co_await Send(stream,
                          pipeline.Reject(Status(ErrorCode::kPayloadTooLarge,
                                                 "the body is larger than this endpoint accepts"),
                                          method, Pipeline::NewRequestId()),
                          version, false);
          } else if (ec != beast::error::timeout && ec != asio::error::eof &&
                     ec != asio::error::connection_reset) {
            co_await Send(stream,
                          pipeline.Reject(Status(ErrorCode::kInvalidArgument, "malformed body"),
                                          method, Pipeline::NewRequestId()),
                          version, false);
          }
          break;
        }
      }
      const bool keep_alive = parser.get().keep_alive();
      const bool head = method == "HEAD";
      HttpRequest request = ToRequest(parser.release(), peer, options.proxy);
      request.request_id = Pipeline::NewRequestId();
      HttpResponse response;
      if (!ParseTarget(request.target, request.path, request.query, &request.repeated_query)) {
        response = pipeline.Reject(
            Status(ErrorCode::kInvalidArgument, "the request path or query is malformed"),
            request.method, request.request_id);
      } else {
        // Handlers block (database, hashing): run them on the worker pool.
        response = co_await asio::co_spawn(
            workers.get_executor(),
            [this, &request]() -> awaitable<HttpResponse> { co_return pipeline.Handle(request); },
            asio::use_awaitable);
      }
      co_await Send(stream, std::move(response), version, keep_alive, head);
      if (!keep_alive) break;
    }
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    // A client still sending a body we refused would get a reset, and lose our answer, if
    // we closed with its bytes unread: read and drop them for a moment first.
    std::array<char, 16 * 1024> sink;
    std::size_t drained = 0;
    stream.expires_after(std::chrono::seconds(2));
    while (drained < 16 * 1024 * 1024) {
      const std::size_t got = co_await stream.async_read_some(
          asio::buffer(sink), asio::redirect_error(asio::use_awaitable, ignored));
      if (ignored || got == 0) break;
      drained += got;
    }
  }

  awaitable<void> Accept() {
    while (acceptor.is_open()) {
      boost::system::error_code ec;
      tcp::socket socket =
          co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (ec == asio::error::operation_aborted) break;
        log::Warn("accept_failed", {{"error", ec.message()}});
        continue;
      }
      socket.set_option(tcp::no_delay(true), ec);
      asio::co_spawn(io, Session(std::move(socket)), [](std::exception_ptr error) {
        if (!error) return;
        try {
          std::rethrow_exception(error);
        } catch (const std::exception& e) {
          log::Error("session_failed", {{"what", e.what()}});
        }
      });
    }
  }
};

HttpServer::HttpServer(ServerOptions options, Pipeline& pipeline)
    : impl_(std::make_unique<Impl>(std::move(options), pipeline)) {}

HttpServer::~HttpServer() {
  Stop();
  impl_->workers.join();
}

Result<std::uint16_t> HttpServer::Start() {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(impl_->options.host, ec);
  if (ec) return InvalidArgument("cannot parse listen host " + impl_->options.host, "listen");
  const tcp::endpoint endpoint(address, impl_->options.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Unavailable("cannot listen on " + impl_->options.host + ":" +
                       std::to_string(impl_->options.port) + ": " + ec.message());
  }
  return acceptor.local_endpoint().port();
}

void HttpServer::Run() {
  auto& impl = *impl_;
  impl.signals.add(SIGINT);
  impl.signals.add(SIGTERM);
  impl.signals.async_wait([this](const boost::system::error_code& ec, int) {
    if (!ec) {
      log::Info("shutting_down");
      Stop();
    }
  });
  asio::co_spawn(impl.io, impl.Accept(), asio::detached);
  std::vector<std::thread> extra;
  for (int i = 1; i < impl.options.io_threads; ++i) extra.emplace_back([&] { impl.io.run(); });
  impl.io.run();
  for (auto& thread : extra) thread.join();
}

void HttpServer::Stop() {
  asio::post(impl_->io, [impl = impl_.get()] {
    boost::system::error_code ignored;
    impl->acceptor.close(ignored);
    impl->signals.cancel(ignored);
    impl->io.stop();
  });
}

}  // namespace psea::http
