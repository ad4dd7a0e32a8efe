#pragma once
// The log writer service, kLogWriterService: the core lends its log sink to
// the module that writes main.log (logs). The service is a function that
// installs a writer for formatted lines; an empty function restores stdout.
// A module that installs a writer must restore it in stop(): the writer's
// code lives in its library.
#include <cpa/sdk/services.hpp>

#include <functional>
#include <string_view>

namespace cpa::sdk {

using LogLineWriter = std::function<void(std::string_view line)>;
using LogWriterSetter = std::function<void(LogLineWriter writer)>;

inline constexpr ServiceKey<LogWriterSetter> kLogWriterService{"cpa.LogWriter/1"};

}  // namespace cpa::sdk
