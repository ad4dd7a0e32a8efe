#include "multipart.hpp"

#include "auth_dir.hpp"

#include <cpa/sdk/text.hpp>

#include <Poco/Exception.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/MultipartReader.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace cpa::oauth {

std::string mediaType(const sdk::Request& req) {
    const std::string ct = req.header("Content-Type").value_or("");
    std::string type = sdk::trimAscii(ct.substr(0, ct.find(';')));
    std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
    return type;
}

std::vector<FormPart> parseMultipart(const sdk::Request& req) {
    const std::string ct = req.header("Content-Type").value_or("");
    std::string type;
    Poco::Net::NameValueCollection params;
    Poco::Net::MessageHeader::splitParameters(ct, type, params);
    const std::string boundary = params.get("boundary", "");
    if (boundary.empty()) throw std::invalid_argument("no multipart boundary param in Content-Type");
    std::vector<FormPart> parts;
    try {
        std::istringstream in(req.body());
        Poco::Net::MultipartReader reader(in, boundary);
        // Poco's part reader takes a 0xFF byte in a part header for the end of
        // input and then reports the same part forever (found by fuzzing): a
        // part that consumed no input ends the parse as malformed.
        const auto consumed = [&in] { return in.rdbuf()->pubseekoff(0, std::ios::cur, std::ios::in); };
        while (reader.hasNextPart()) {
            const auto before = consumed();
            Poco::Net::MessageHeader headers;
            reader.nextPart(headers);
            FormPart part;
            std::string disposition;
            Poco::Net::NameValueCollection dp;
            Poco::Net::MessageHeader::splitParameters(headers.get("Content-Disposition", ""), disposition, dp);
            part.field = dp.get("name", "");
            part.fileName = dp.get("filename", "");
            Poco::StreamCopier::copyToString(reader.stream(), part.content);
            if (consumed() == before) throw std::invalid_argument("malformed multipart part header");
            parts.push_back(std::move(part));
        }
    } catch (const Poco::Exception& e) {
        throw std::invalid_argument(e.displayText());
    } catch (const std::ios_base::failure& e) {
        throw std::invalid_argument(e.what());
    }
    return parts;
}

std::vector<FormPart> fileParts(const std::vector<FormPart>& parts) {
    std::vector<FormPart> files;
    for (const FormPart& p : parts) {
        if (!p.fileName.empty()) files.push_back(p);
    }
    std::stable_sort(files.begin(), files.end(), [](const FormPart& a, const FormPart& b) { return a.field < b.field; });
    return files;
}

std::optional<std::string> formValue(const std::vector<FormPart>& parts, const std::string& field) {
    for (const FormPart& p : parts) {
        if (p.fileName.empty() && p.field == field) return p.content;
    }
    return std::nullopt;
}

}  // namespace cpa::oauth
