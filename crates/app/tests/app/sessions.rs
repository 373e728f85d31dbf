//! Dashboard sessions: opened by a live key, ended by 12 idle hours, sign-out or the
//! key's revocation, and purged once ended.

use chrono::{Duration, Utc};
use trackly_app::{keys, maintenance, sessions};

use crate::helpers::{Context, Moved};

#[tokio::test]
async fn a_session_lives_twelve_idle_hours_from_its_last_use() {
    let context = Context::new().await;
    let clock = Moved::at(Utc::now());
    let app = context.app.clone().with_clock(clock.clone());
    let opened = sessions::sign_in(&app, &context.account.api_key)
        .await
        .expect("sign in")
        .expect("a live key opens a session");
    assert_eq!(opened.session.account_id, context.account.account_id);

    clock.forward(Duration::hours(11));
    let resumed = sessions::resume(&app, &opened.token).await.expect("resume");
    assert_eq!(
        resumed.as_ref(),
        Some(&opened.session),
        "used within 12 hours"
    );
    clock.forward(Duration::hours(11));
    assert!(
        sessions::resume(&app, &opened.token)
            .await
            .expect("resume")
            .is_some(),
        "each use starts the 12 hours again"
    );
    clock.forward(Duration::hours(12) + Duration::seconds(1));
    assert_eq!(
        sessions::resume(&app, &opened.token).await.expect("resume"),
        None,
        "idle too long"
    );
    assert_eq!(
        maintenance::purge_ended_sessions(&app)
            .await
            .expect("purge"),
        1
    );
}

#[tokio::test]
async fn sign_out_and_revocation_end_sessions_and_unknown_keys_open_none() {
    let context = Context::new().await;
    let app = &context.app;
    assert_eq!(
        sessions::sign_in(app, "trk_notakeynotakeynotakeynotakey0000")
            .await
            .expect("sign in"),
        None
    );
    let signed_out = sessions::sign_in(app, &context.account.api_key)
        .await
        .expect("sign in")
        .expect("open");
    let revoked = sessions::sign_in(app, &context.account.api_key)
        .await
        .expect("sign in")
        .expect("open");
    assert_ne!(
        signed_out.token, revoked.token,
        "each sign-in is its own session"
    );
    assert_ne!(signed_out.session.csrf_token, revoked.session.csrf_token);

    sessions::sign_out(app, &signed_out.token)
        .await
        .expect("sign out");
    assert_eq!(
        sessions::resume(app, &signed_out.token)
            .await
            .expect("resume"),
        None
    );
    assert!(
        sessions::resume(app, &revoked.token)
            .await
            .expect("resume")
            .is_some(),
        "the other stays"
    );

    keys::revoke(app, &context.account.key_id)
        .await
        .expect("revoke");
    assert_eq!(
        sessions::resume(app, &revoked.token).await.expect("resume"),
        None,
        "its key was revoked"
    );
    assert_eq!(
        sessions::sign_in(app, &context.account.api_key)
            .await
            .expect("sign in"),
        None
    );
    assert_eq!(
        maintenance::purge_ended_sessions(app).await.expect("purge"),
        1,
        "the revoked key's session"
    );
}
