#include <cpa/sdk/value.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

using cpa::sdk::Value;

TEST(Value, DefaultIsNullAndTypesFollowConstructors) {
    EXPECT_TRUE(Value().isNull());
    EXPECT_TRUE(Value(nullptr).isNull());
    EXPECT_TRUE(Value(true).isBool());
    EXPECT_TRUE(Value(5).isInt());
    EXPECT_TRUE(Value(5L).isInt());
    EXPECT_TRUE(Value(5u).isInt());
    EXPECT_TRUE(Value(5.0).isDouble());
    EXPECT_TRUE(Value("x").isString());
    EXPECT_TRUE(Value(std::string_view("x")).isString());
    EXPECT_TRUE(Value::array().isArray());
    EXPECT_TRUE(Value::object().isObject());
    EXPECT_TRUE(Value(5).isNumber());
    EXPECT_TRUE(Value(5.5).isNumber());
    EXPECT_FALSE(Value("5").isNumber());
}

TEST(Value, StrictAccessorsThrowLogicErrorNamingBothTypes) {
    const Value s("text");
    try {
        (void)s.asInt();
        FAIL() << "asInt on a string must throw";
    } catch (const std::logic_error& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("expected int"), std::string::npos) << what;
        EXPECT_NE(what.find("got string"), std::string::npos) << what;
    }
    EXPECT_THROW((void)Value(1).asBool(), std::logic_error);
    EXPECT_THROW((void)Value(1.5).asInt(), std::logic_error);
    EXPECT_THROW((void)Value().asString(), std::logic_error);
    EXPECT_THROW((void)Value::object().asArray(), std::logic_error);
    EXPECT_THROW((void)Value::array().asObject(), std::logic_error);
    Value mut = 3;
    EXPECT_THROW(mut.asArray(), std::logic_error);
    EXPECT_THROW(mut.asObject(), std::logic_error);
}

TEST(Value, AsDoubleWidensIntsOnly) {
    EXPECT_DOUBLE_EQ(Value(7).asDouble(), 7.0);
    EXPECT_DOUBLE_EQ(Value(7.25).asDouble(), 7.25);
    EXPECT_THROW((void)Value("7").asDouble(), std::logic_error);
}

TEST(Value, LenientAccessorsFallBackOnMismatchOrNull) {
    EXPECT_TRUE(Value(true).boolOr(false));
    EXPECT_TRUE(Value().boolOr(true));
    EXPECT_FALSE(Value("true").boolOr(false));
    EXPECT_EQ(Value(42).intOr(-1), 42);
    EXPECT_EQ(Value(42.0).intOr(-1), -1);
    EXPECT_EQ(Value().intOr(-1), -1);
    EXPECT_EQ(Value("abc").stringOr("fb"), "abc");
    EXPECT_EQ(Value(1).stringOr("fb"), "fb");
}

TEST(Value, ObjectKeepsInsertionOrderAndSetReplacesInPlace) {
    Value v = Value::object({{"b", 1}, {"a", 2}, {"c", 3}});
    v.set("a", "replaced");
    v.set("d", 4);
    const auto& o = v.asObject();
    ASSERT_EQ(o.size(), 4u);
    EXPECT_EQ(o[0].first, "b");
    EXPECT_EQ(o[1].first, "a");
    EXPECT_EQ(o[1].second, Value("replaced"));
    EXPECT_EQ(o[3].first, "d");
}

TEST(Value, ObjectFromInitializerListLastDuplicateWins) {
    Value v = Value::object({{"k", 1}, {"k", 2}});
    EXPECT_EQ(v.size(), 1u);
    EXPECT_EQ(v.find("k")->asInt(), 2);
}

TEST(Value, SubscriptTurnsNullIntoObjectAndAppendsNullMember) {
    Value v;
    Value& m = v["x"];
    EXPECT_TRUE(v.isObject());
    EXPECT_TRUE(m.isNull());
    m = 5;
    EXPECT_EQ(v.find("x")->asInt(), 5);
    v["y"]["z"] = true;
    EXPECT_TRUE(v.findPath("y.z")->asBool());
    Value notObject = 3;
    EXPECT_THROW(notObject["x"], std::logic_error);
}

TEST(Value, FindAndContainsOnNonObjects) {
    EXPECT_EQ(Value(1).find("a"), nullptr);
    EXPECT_FALSE(Value::array().contains("a"));
    Value v = Value::object({{"a", nullptr}});
    EXPECT_TRUE(v.contains("a"));  // a null member is still a member
    Value* mut = v.find("a");
    ASSERT_NE(mut, nullptr);
    *mut = "set";
    EXPECT_EQ(v.find("a")->asString(), "set");
}

TEST(Value, FindPathSplitsOnDots) {
    Value v = Value::object({{"quota-exceeded", Value::object({{"switch-project", true}})},
                             {"a", Value::object({{"b", Value::object({{"c", 3}})}})},
                             {"list", Value(Value::Array{1, 2})}});
    EXPECT_TRUE(v.findPath("quota-exceeded.switch-project")->asBool());
    EXPECT_EQ(v.findPath("a.b.c")->asInt(), 3);
    EXPECT_EQ(v.findPath("a.b")->size(), 1u);
    EXPECT_EQ(v.findPath("a.x.c"), nullptr);
    EXPECT_EQ(v.findPath("a.b.c.d"), nullptr);
    EXPECT_EQ(v.findPath("list.0"), nullptr);  // arrays are not indexed by paths
    EXPECT_EQ(v.findPath("a."), nullptr);
    EXPECT_EQ(v.findPath(""), nullptr);
}

TEST(Value, EraseReportsWhetherMemberExisted) {
    Value v = Value::object({{"a", 1}, {"b", 2}, {"c", 3}});
    EXPECT_TRUE(v.erase("b"));
    EXPECT_FALSE(v.erase("b"));
    ASSERT_EQ(v.size(), 2u);
    EXPECT_EQ(v.asObject()[1].first, "c");
    Value s = "x";
    EXPECT_FALSE(s.erase("x"));
}

TEST(Value, PushTurnsNullIntoArray) {
    Value v;
    v.push(1);
    v.push("two");
    ASSERT_TRUE(v.isArray());
    EXPECT_EQ(v.size(), 2u);
    EXPECT_EQ(v.asArray()[1].asString(), "two");
    Value o = Value::object();
    EXPECT_THROW(o.push(1), std::logic_error);
}

TEST(Value, SizeOfScalarsIsZero) {
    EXPECT_EQ(Value(1).size(), 0u);
    EXPECT_EQ(Value("abc").size(), 0u);
    EXPECT_EQ(Value().size(), 0u);
}

TEST(Value, EqualityIsDeepAndTypeStrict) {
    EXPECT_EQ(Value(5), Value(5));
    EXPECT_NE(Value(5), Value(5.0));  // Int and Double are different values by design
    EXPECT_NE(Value(1), Value(true));
    EXPECT_NE(Value(), Value(false));
    EXPECT_NE(Value("a"), Value("b"));
    const double nan = std::nan("");
    EXPECT_NE(Value(nan), Value(nan));  // IEEE semantics
    Value a = Value::object({{"x", Value(Value::Array{1, Value::object({{"y", "z"}})})}});
    Value b = Value::object({{"x", Value(Value::Array{1, Value::object({{"y", "z"}})})}});
    EXPECT_EQ(a, b);
    b["x"].asArray()[1].set("y", "other");
    EXPECT_NE(a, b);
    EXPECT_NE(Value(Value::Array{1, 2}), Value(Value::Array{2, 1}));  // arrays are ordered
}

TEST(Value, ObjectEqualityIgnoresMemberOrder) {
    EXPECT_EQ(Value::object({{"a", 1}, {"b", 2}}), Value::object({{"b", 2}, {"a", 1}}));
    EXPECT_NE(Value::object({{"a", 1}, {"b", 2}}), Value::object({{"a", 1}, {"c", 2}}));
    EXPECT_NE(Value::object({{"a", 1}}), Value::object({{"a", 1}, {"b", 2}}));
    // Duplicate keys built by hand must not make different objects compare equal.
    Value dup = Value::object();
    dup.asObject().emplace_back("a", 1);
    dup.asObject().emplace_back("a", 1);
    EXPECT_NE(dup, Value::object({{"a", 1}, {"b", 1}}));
    EXPECT_NE(Value::object({{"a", 1}, {"b", 1}}), dup);
}
