//! Diesel table definitions, shared by both backends. Only types every backend has:
//! `BigInt` ids and cents, `Integer`, `Text` (enums too), `Bool`, `Timestamp` (UTC) and `Date`.

diesel::table! {
    municipalities (id) {
        id -> BigInt,
        name -> Text,
        voucher_price_cents -> BigInt,
        voucher_validity_months -> Integer,
        yearly_voucher_cap -> Nullable<Integer>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        password_hash -> Text,
        role -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    user_municipalities (user_id, municipality_id) {
        user_id -> BigInt,
        municipality_id -> BigInt,
    }
}

diesel::table! {
    login_failures (id) {
        id -> BigInt,
        email -> Text,
        failed_at -> Timestamp,
    }
}

diesel::table! {
    demo_parts (name) {
        name -> Text,
        loaded_at -> Timestamp,
    }
}

diesel::joinable!(user_municipalities -> users (user_id));
diesel::joinable!(user_municipalities -> municipalities (municipality_id));

diesel::allow_tables_to_appear_in_same_query!(municipalities, users, user_municipalities, login_failures, demo_parts,);
