#pragma once
// An Exchange that outlives every stream object of a test (stream encoders
// and decoders keep a reference to theirs; a temporary would dangle).
#include "translate/codec.hpp"

namespace cpa::proxy::translate {

inline const Exchange& noExchange() {
    static const Exchange exchange;
    return exchange;
}

}  // namespace cpa::proxy::translate
