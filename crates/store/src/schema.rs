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
    api_keys (account_id, id) {
        /// Key id.
        id -> Text,
        /// Owning account.
        account_id -> Text,
        /// Optional label.
        name -> Nullable<Text>,
        /// `trk_` and the first 4 characters, for people to recognise a key.
        prefix -> Text,
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
    offers (account_id, id) {
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
        /// The offer clicked; null for a URL-mode link.
        offer_id -> Nullable<Text>,
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
        /// The link followed (SPEC §9.4).
        link_id -> Nullable<Text>,
        /// The link's message id.
        message_id -> Nullable<Text>,
        /// The link's contact list.
        list_id -> Nullable<Text>,
        /// The link's contact.
        contact_phone -> Nullable<Text>,
        /// The first human click of its message and person.
        first_click -> Bool,
    }
}

diesel::table! {
    /// Short links, one per message (SPEC §9).
    links (account_id, id) {
        /// The link id: the short link's path.
        id -> Text,
        /// Owning account.
        account_id -> Text,
        /// Offer mode: the offer.
        offer_id -> Nullable<Text>,
        /// URL mode: the destination.
        url -> Nullable<Text>,
        /// The contact list.
        list_id -> Nullable<Text>,
        /// The phone number it was made for.
        phone_number -> Nullable<Text>,
        /// The contact the message went to.
        contact_phone -> Nullable<Text>,
        /// The caller's message id.
        message_id -> Nullable<Text>,
        /// String-to-string labels.
        metadata -> Jsonb,
        /// Creation time.
        created_at -> Timestamptz,
    }
}

diesel::table! {
    /// Revenue events (SPEC §6).
    revenue_events (account_id, id) {
        /// Owning account.
        account_id -> Text,
        /// Event id.
        id -> Text,
        /// The offer credited.
        offer_id -> Text,
        /// The click converted, if known.
        click_id -> Nullable<Text>,
        /// The link of that click, if it came through one.
        link_id -> Nullable<Text>,
        /// SMS message id, as given.
        message_id -> Nullable<Text>,
        /// Client transaction id, unique per account.
        txn_id -> Nullable<Text>,
        /// Amount.
        revenue -> Numeric,
        /// lead, sale, rebill, refund, chargeback, install, signup.
        event_type -> Text,
        /// sale, click, send.
        attribution_type -> Text,
        /// When it happened.
        occurred_at -> Timestamptz,
        /// When it was recorded.
        created_at -> Timestamptz,
    }
}

diesel::table! {
    /// Clicks per offer and UTC day, maintained by the click writer.
    click_daily (account_id, offer_id, day) {
        /// Owning account.
        account_id -> Text,
        /// The offer.
        offer_id -> Text,
        /// UTC day.
        day -> Date,
        /// All clicks.
        clicks -> BigInt,
        /// Bot clicks.
        bot_clicks -> BigInt,
        /// Distinct (ip, user agent) among all clicks.
        unique_clicks -> BigInt,
        /// Distinct (ip, user agent) among human clicks.
        unique_human_clicks -> BigInt,
        /// First clicks (SPEC §9.4).
        first_clicks -> BigInt,
    }
}

diesel::table! {
    /// Visitors seen per offer and day, for unique counts.
    click_visitors (account_id, offer_id, day, humans_only, visitor) {
        /// Owning account.
        account_id -> Text,
        /// The offer.
        offer_id -> Text,
        /// UTC day.
        day -> Date,
        /// The set of human clicks (true) or of all clicks (false).
        humans_only -> Bool,
        /// 16 bytes of SHA-256 of ip and user agent.
        visitor -> Bytea,
    }
}

diesel::table! {
    /// Connections to TUNE and Everflow (SPEC §10.1).
    integrations (account_id, id) {
        /// Connection id.
        id -> Text,
        /// Owning account.
        account_id -> Text,
        /// tune or everflow.
        platform -> Text,
        /// The API endpoint, when not the platform's default.
        base_url -> Nullable<Text>,
        /// TUNE's network id.
        network_id -> Nullable<Text>,
        /// Our affiliate id on the platform.
        affiliate_id -> Nullable<Text>,
        /// The platform key sealed with AES-256-GCM: nonce, ciphertext, tag.
        api_key_sealed -> Bytea,
        /// `…` and the key's last four characters.
        api_key_last4 -> Text,
        /// Whether offers are synced.
        sync_offers -> Bool,
        /// Whether conversions are synced.
        sync_conversions -> Bool,
        /// TUNE's click parameter for our click id.
        message_id_field -> Text,
        /// The zone TUNE writes conversion times in.
        timezone -> Text,
        /// When it was made.
        created_at -> Timestamptz,
        /// When it last changed.
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    /// Sync runs (SPEC §10.4).
    sync_runs (account_id, id) {
        /// Run id.
        id -> Text,
        /// Owning account.
        account_id -> Text,
        /// The connection.
        integration_id -> Text,
        /// offers or conversions.
        kind -> Text,
        /// running, ok, partial, failed.
        status -> Text,
        /// When it started.
        started_at -> Timestamptz,
        /// When it ended.
        finished_at -> Nullable<Timestamptz>,
        /// Offers created.
        offers_created -> Int4,
        /// Offers changed.
        offers_updated -> Int4,
        /// Offers skipped.
        offers_skipped -> Int4,
        /// Conversions recorded.
        conversions_imported -> Int4,
        /// Conversions recorded before.
        duplicates -> Int4,
        /// Conversions matched to nothing.
        unmatched -> Int4,
        /// Up to 100 sentences.
        errors -> Jsonb,
    }
}

diesel::table! {
    /// Each account's messages with their link count (kept by a trigger on `links`).
    link_messages (account_id, message_id) {
        /// Owning account.
        account_id -> Text,
        /// The client's message id.
        message_id -> Text,
        /// Links made for the message.
        links -> BigInt,
        /// When its newest link was made.
        last_sent_at -> Timestamptz,
    }
}

diesel::table! {
    /// Dashboard sign-ins (SPEC §11), found by the SHA-256 of their cookie.
    dashboard_sessions (token_sha256, account_id) {
        /// SHA-256 of the session cookie's value.
        token_sha256 -> Bytea,
        /// The signed-in account.
        account_id -> Text,
        /// The API key the session was opened with; revoking it ends the session.
        api_key_id -> Text,
        /// The token every form of the session carries.
        csrf_token -> Text,
        /// Sign-in time.
        created_at -> Timestamptz,
        /// Last use; the session ends 12 hours after it.
        last_seen_at -> Timestamptz,
    }
}

diesel::table! {
    /// Every offer code, unique across the service, with its offer (a directory:
    /// tracking links arrive without an account).
    offer_codes (code) {
        /// The 6-character code.
        code -> Text,
        /// The offer's account.
        account_id -> Text,
        /// The offer.
        offer_id -> Text,
    }
}

diesel::table! {
    /// Every link id ever made, unique across the service and never reused (a
    /// directory: short links arrive without an account).
    link_ids (id) {
        /// The 7-character link id.
        id -> Text,
        /// The link's account.
        account_id -> Text,
    }
}

diesel::table! {
    /// Every API key's digest with its key (a directory: requests arrive with a key,
    /// not an account).
    api_key_digests (key_sha256) {
        /// SHA-256 of the whole key.
        key_sha256 -> Bytea,
        /// The key's account.
        account_id -> Text,
        /// The key.
        key_id -> Text,
    }
}

diesel::joinable!(api_keys -> accounts (account_id));
diesel::joinable!(offers -> accounts (account_id));
diesel::joinable!(links -> accounts (account_id));
diesel::joinable!(integrations -> accounts (account_id));
diesel::allow_tables_to_appear_in_same_query!(
    accounts,
    api_keys,
    dashboard_sessions,
    link_messages,
    offers,
    idempotency_keys,
    clicks,
    revenue_events,
    click_daily,
    click_visitors,
    links,
    integrations,
    sync_runs,
    offer_codes,
    link_ids,
    api_key_digests
);
