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
        referral_response_hours -> Integer,
        sign_off_days -> Integer,
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
        token_version -> Integer,
        desk_language -> Nullable<Text>,
    }
}

diesel::table! {
    user_municipalities (user_id, municipality_id) {
        user_id -> BigInt,
        municipality_id -> BigInt,
    }
}

diesel::table! {
    login_attempts (id) {
        id -> BigInt,
        email -> Text,
        client_address -> Text,
        attempted_at -> Timestamp,
    }
}

diesel::table! {
    demo_parts (name) {
        name -> Text,
        loaded_at -> Timestamp,
    }
}

diesel::table! {
    categories (id) {
        id -> BigInt,
        code -> Text,
        name_nl -> Text,
        name_en -> Text,
        volunteer_ok -> Bool,
    }
}

diesel::table! {
    municipality_categories (municipality_id, category_code) {
        municipality_id -> BigInt,
        category_code -> Text,
    }
}

diesel::table! {
    clients (id) {
        id -> BigInt,
        municipality_id -> BigInt,
        name -> Text,
        street -> Text,
        house_number -> Text,
        postcode -> Text,
        city -> Text,
        target_groups -> Text,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        preferred_language -> Text,
        representative_name -> Nullable<Text>,
        representative_relation -> Nullable<Text>,
        representative_email -> Nullable<Text>,
        representative_phone -> Nullable<Text>,
        lat -> Nullable<Double>,
        lon -> Nullable<Double>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    members (id) {
        id -> BigInt,
        municipality_id -> BigInt,
        kind -> Text,
        name -> Text,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        skills -> Text,
        weekly_cap_quarters -> Integer,
        availability -> Text,
        coach_id -> Nullable<BigInt>,
        status -> Text,
        outflow -> Nullable<Text>,
        outflow_date -> Nullable<Date>,
        lat -> Nullable<Double>,
        lon -> Nullable<Double>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        learning_goals -> Text,
    }
}

diesel::table! {
    user_links (user_id) {
        user_id -> BigInt,
        client_id -> Nullable<BigInt>,
        member_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    providers (id) {
        id -> BigInt,
        kind -> Text,
        name -> Text,
        categories -> Text,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        active -> Bool,
    }
}

diesel::table! {
    provider_municipalities (provider_id, municipality_id) {
        provider_id -> BigInt,
        municipality_id -> BigInt,
    }
}

diesel::table! {
    requests (id) {
        id -> BigInt,
        client_id -> BigInt,
        municipality_id -> BigInt,
        category -> Text,
        description -> Text,
        window_start -> Timestamp,
        window_end -> Timestamp,
        estimated_quarters -> Integer,
        status -> Text,
        tier -> Nullable<Text>,
        cancel_reason -> Nullable<Text>,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    idempotency_keys (user_id, key) {
        user_id -> BigInt,
        key -> Text,
        operation -> Text,
        body_hash -> Text,
        status_code -> Nullable<Integer>,
        response_body -> Nullable<Text>,
        location -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    routing_trail (id) {
        id -> BigInt,
        request_id -> BigInt,
        tier -> Text,
        outcome -> Text,
        reason_code -> Text,
        reason_nl -> Text,
        reason_en -> Text,
        decided_by -> Nullable<BigInt>,
        at -> Timestamp,
    }
}

diesel::table! {
    assignments (id) {
        id -> BigInt,
        request_id -> BigInt,
        member_id -> BigInt,
        client_id -> BigInt,
        municipality_id -> BigInt,
        tier -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        slot_quarters -> Integer,
        status -> Text,
        hours_worked_quarters -> Nullable<Integer>,
        voucher_shortfall -> Integer,
        reason -> Nullable<Text>,
        proposed_by -> BigInt,
        decided_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        accepted_at -> Nullable<Timestamp>,
        sign_off -> Nullable<Text>,
        rating -> Nullable<Integer>,
        sign_off_comment -> Nullable<Text>,
        dispute_reason -> Nullable<Text>,
        resolution_note -> Nullable<Text>,
        sign_off_by -> Nullable<BigInt>,
        completed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    referrals (id) {
        id -> BigInt,
        request_id -> BigInt,
        provider_id -> BigInt,
        municipality_id -> BigInt,
        tier -> Text,
        status -> Text,
        respond_by -> Timestamp,
        created_by -> Nullable<BigInt>,
        answered_by -> Nullable<BigInt>,
        reason -> Nullable<Text>,
        note -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    voucher_sales (id) {
        id -> BigInt,
        client_id -> BigInt,
        municipality_id -> BigInt,
        voucher_count -> Integer,
        unit_value_cents -> BigInt,
        sold_by -> BigInt,
        sold_at -> Timestamp,
        expiry_warned_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    vouchers (id) {
        id -> BigInt,
        serial -> Text,
        sale_id -> BigInt,
        client_id -> BigInt,
        municipality_id -> BigInt,
        value_cents -> BigInt,
        issued_on -> Date,
        expires_on -> Date,
        status -> Text,
        assignment_id -> Nullable<BigInt>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    voucher_events (id) {
        id -> BigInt,
        voucher_id -> BigInt,
        municipality_id -> BigInt,
        kind -> Text,
        assignment_id -> Nullable<BigInt>,
        actor_id -> Nullable<BigInt>,
        reason -> Nullable<Text>,
        at -> Timestamp,
        client_id -> Nullable<BigInt>,
        value_cents -> Nullable<BigInt>,
    }
}

diesel::table! {
    voucher_serial_counters (prefix, year) {
        prefix -> Text,
        year -> Integer,
        next_value -> BigInt,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        recipient -> Text,
        recipient_name -> Nullable<Text>,
        language -> Text,
        template -> Text,
        data -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        give_up_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        message_id -> Text,
        once_key -> Nullable<Text>,
        request_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    follow_ups (id) {
        id -> BigInt,
        request_id -> BigInt,
        municipality_id -> BigInt,
        client_id -> BigInt,
        due_on -> Date,
        done_at -> Nullable<Timestamp>,
        done_by -> Nullable<BigInt>,
        helped_lastingly -> Nullable<Bool>,
        note -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    desk_sessions (id) {
        id -> BigInt,
        token_hash -> Text,
        user_id -> BigInt,
        token_version -> Integer,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        ended_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(user_municipalities -> users (user_id));
diesel::joinable!(user_municipalities -> municipalities (municipality_id));
diesel::joinable!(user_links -> users (user_id));
diesel::joinable!(municipality_categories -> municipalities (municipality_id));
diesel::joinable!(provider_municipalities -> providers (provider_id));
diesel::joinable!(provider_municipalities -> municipalities (municipality_id));
diesel::joinable!(clients -> municipalities (municipality_id));
diesel::joinable!(requests -> clients (client_id));
diesel::joinable!(referrals -> providers (provider_id));
diesel::joinable!(assignments -> requests (request_id));
diesel::joinable!(assignments -> members (member_id));
diesel::joinable!(vouchers -> voucher_sales (sale_id));
diesel::joinable!(voucher_events -> vouchers (voucher_id));

diesel::allow_tables_to_appear_in_same_query!(
    municipalities,
    users,
    user_municipalities,
    user_links,
    login_attempts,
    desk_sessions,
    demo_parts,
    categories,
    municipality_categories,
    clients,
    members,
    providers,
    provider_municipalities,
    requests,
    idempotency_keys,
    routing_trail,
    assignments,
    referrals,
    voucher_sales,
    vouchers,
    voucher_events,
    voucher_serial_counters,
    outbox,
    follow_ups,
);
