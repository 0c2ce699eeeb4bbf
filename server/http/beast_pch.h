// Precompiled for psea_http only: Beast and Asio are the slowest headers in the tree.
#pragma once
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
