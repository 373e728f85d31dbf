//! Diesel's view of the tables created by `migrations/`.

diesel::table! {
    /// Tenants.
    accounts (id) {
        /// Account id (SPEC §1.5).
        id -> Text,
        /// Display name.
        name -> Text,
        /// SHA-256 of the postback secret.
        postback_secret_sha256 -> Bytea,
        /// Creation time.
        created_at -> Timestamptz,
    }
}

diesel::table! {
    /// API keys, stored as digests.
    api_keys (id) {
        /// Key id.
        id -> Text,
        /// Owning account.
        account_id -> Text,
        /// Optional label.
        name -> Nullable<Text>,
        /// `trk_` and the first 4 characters, for people to recognise a key.
        prefix -> Text,
        /// SHA-256 of the whole key.
        key_sha256 -> Bytea,
        /// Creation time.
        created_at -> Timestamptz,
        /// Last successful authentication (updated at most once per cache period).
        last_used_at -> Nullable<Timestamptz>,
        /// When it was revoked.
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    /// Offers (SPEC §2).
    offers (id) {
        /// Offer id.
        id -> Text,
        /// Owning account.
        account_id -> Text,
        /// Tracking-link code.
        code -> Text,
        /// Name.
        name -> Text,
        /// Destination URL.
        tracking_url -> Text,
        /// `tune` / `everflow`.
        external_platform -> Nullable<Text>,
        /// Platform id.
        external_id -> Nullable<Text>,
        /// Advertiser id.
        advertiser_id -> Nullable<Text>,
        /// Payout.
        payout -> Numeric,
        /// `cpa` / `cpc`.
        payout_type -> Text,
        /// Leave bots out of stats.
        filter_bots -> Bool,
        /// `active` / `paused` / `archived`.
        status -> Text,
        /// String-to-string labels.
        metadata -> Jsonb,
        /// Creation time.
        created_at -> Timestamptz,
        /// Last change.
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// Recorded responses of idempotent POSTs.
    idempotency_keys (account_id, key) {
        /// Owning account.
        account_id -> Text,
        /// The client's `Idempotency-Key`.
        key -> Text,
        /// SHA-256 of the request (method, path, canonical body).
        request_sha256 -> Bytea,
        /// HTTP status of the first response.
        status -> SmallInt,
        /// Body of the first response.
        body -> Text,
        /// When the first request ran.
        created_at -> Timestamptz,
    }
}

diesel::table! {
    /// Clicks on tracking links (SPEC §5.2), partitioned by month.
    clicks (account_id, id, created_at) {
        /// Owning account.
        account_id -> Text,
        /// The click id (SPEC §1.5).
        id -> Text,
        /// The offer clicked.
        offer_id -> Text,
        /// When the redirect answered.
        created_at -> Timestamptz,
        /// Client address.
        ip -> Nullable<Text>,
        /// `User-Agent`, cut to 512 characters.
        user_agent -> Nullable<Text>,
        /// `Referer`, cut to 1024 characters.
        referer -> Nullable<Text>,
        /// Link query `sub1`.
        sub1 -> Nullable<Text>,
        /// Link query `sub2`.
        sub2 -> Nullable<Text>,
        /// Link query `sub3`.
        sub3 -> Nullable<Text>,
        /// Link query `sub4`.
        sub4 -> Nullable<Text>,
        /// Link query `sub5`.
        sub5 -> Nullable<Text>,
        /// Classified as a bot.
        is_bot -> Bool,
        /// Why (SPEC §5.3).
        bot_reason -> Nullable<Text>,
    }
}

diesel::joinable!(api_keys -> accounts (account_id));
diesel::joinable!(offers -> accounts (account_id));
diesel::allow_tables_to_appear_in_same_query!(accounts, api_keys, offers, idempotency_keys, clicks);
