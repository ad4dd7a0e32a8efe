#pragma once
#include <string>

namespace cpa::config {

struct FileText {
    enum class Status { Ok, Missing, Failed };
    Status status = Status::Ok;
    std::string text;
    std::string error;  ///< strerror text when Failed
};

/// The whole file as bytes; Missing when it does not exist (or is a dangling
/// link), Failed for any other error (a directory included).
FileText readFileText(const std::string& path);

}  // namespace cpa::config
