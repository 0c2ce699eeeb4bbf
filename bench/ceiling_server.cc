// The ceiling for psea's HTTP benchmark: the least a Boost.Beast server can do per request,
// with psea's threading (one io thread running C++20 coroutines, HTTP/1.1 keep-alive, a read
// deadline per request, TCP_NODELAY). It answers `GET /` with a fixed JSON body as long as
// psea's answer to `GET /healthz`, on the io thread itself, and everything else with 404.
// Whatever psea serves below this rate is the cost of its own request path: routing,
// middleware, the hop to the worker pool and the database.
//
//   psea_bench_ceiling [--host 127.0.0.1] [--port 0] [--port-file PATH]
//
// Port 0 binds any free port. Once listening it prints "listening on HOST:PORT" on stdout
// and, with --port-file, writes the port to PATH (atomically, like `psea serve`). Stops on
// SIGINT or SIGTERM. Exit status: 0 after a signal, 1 when it cannot listen, 2 on bad usage.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using asio::ip::tcp;

// Same length as psea's `{"status":"ok","database":"ok"}`.
constexpr std::string_view kOkBody = R"({"status":"ok","database":"ok"})";
constexpr std::string_view kNotFoundBody = R"({"error":{"code":"not_found"}})";
// psea's idle timeout between requests on a kept-alive connection.
constexpr std::chrono::seconds kIdleTimeout{75};

struct Options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string port_file;
};

void PrintUsage() {
  std::cerr << "usage: psea_bench_ceiling [--host 127.0.0.1] [--port N (0: any)] "
               "[--port-file PATH]\n";
}

std::optional<Options> ParseOptions(int argc, char** argv) {
  Options options;
  for (int index = 1; index < argc; ++index) {
    const std::string_view flag = argv[index];
    if (flag == "--help" || flag == "-h") return std::nullopt;
    if (index + 1 >= argc) return std::nullopt;
    const std::string value = argv[++index];
    if (flag == "--host") {
      options.host = value;
    } else if (flag == "--port-file") {
      options.port_file = value;
    } else if (flag == "--port") {
      try {
        std::size_t parsed_length = 0;
        const unsigned long port = std::stoul(value, &parsed_length);
        if (parsed_length != value.size() || port > 65535) return std::nullopt;
        options.port = static_cast<std::uint16_t>(port);
      } catch (const std::exception&) {
        return std::nullopt;
      }
    } else {
      return std::nullopt;
    }
  }
  return options;
}

http::response<http::string_body> Answer(const http::request<http::string_body>& request) {
  const bool found = request.method() == http::verb::get && request.target() == "/";
  http::response<http::string_body> response{found ? http::status::ok : http::status::not_found,
                                             request.version()};
  response.set(http::field::content_type, "application/json");
  response.keep_alive(request.keep_alive());
  response.body() = found ? kOkBody : kNotFoundBody;
  response.prepare_payload();
  return response;
}

asio::awaitable<void> Session(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  boost::system::error_code ec;
  while (true) {
    http::request<http::string_body> request;
    stream.expires_after(kIdleTimeout);
    co_await http::async_read(stream, buffer, request,
                              asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;  // The client closed, timed out or sent garbage: nothing to answer.
    auto response = Answer(request);
    co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
    if (ec || !response.keep_alive()) break;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

asio::awaitable<void> Accept(tcp::acceptor& acceptor) {
  const auto executor = co_await asio::this_coro::executor;
  while (acceptor.is_open()) {
    boost::system::error_code ec;
    tcp::socket socket =
        co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted) break;
    if (ec) continue;  // E.g. EMFILE under a flood; the next accept may succeed.
    socket.set_option(tcp::no_delay(true), ec);
    asio::co_spawn(executor, Session(std::move(socket)), asio::detached);
  }
}

bool WritePortFile(const std::string& path, std::uint16_t port) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary);
    out << port << "\n";
    if (!out) return false;
  }
  return std::rename(temporary.c_str(), path.c_str()) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  const auto options = ParseOptions(argc, argv);
  if (!options) {
    PrintUsage();
    return 2;
  }
  asio::io_context io(1);  // One io thread, as in psea.
  tcp::acceptor acceptor(io);
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(options->host, ec);
  if (ec) {
    std::cerr << "psea_bench_ceiling: cannot parse host " << options->host << "\n";
    return 2;
  }
  const tcp::endpoint endpoint(address, options->port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    std::cerr << "psea_bench_ceiling: cannot listen on " << options->host << ":" << options->port
              << ": " << ec.message() << "\n";
    return 1;
  }
  const std::uint16_t port = acceptor.local_endpoint().port();
  if (!options->port_file.empty() && !WritePortFile(options->port_file, port)) {
    std::cerr << "psea_bench_ceiling: cannot write " << options->port_file << "\n";
    return 1;
  }
  std::cout << "listening on " << options->host << ":" << port << std::endl;

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) {
    boost::system::error_code ignored;
    acceptor.close(ignored);
    io.stop();
  });
  asio::co_spawn(io, Accept(acceptor), asio::detached);
  io.run();
  return 0;
}
