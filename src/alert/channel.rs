//! The closed set of channels, one variant per channel file, and how each shows a message.

use super::message::Style;
use super::{dingtalk, discord, email, exec, feishu, ntfy, slack, telegram, webhook, wecom};

/// Where alerts go. Secrets inside are `Secret`s: never in `Debug`, logs or errors.
#[derive(Debug, Clone)]
pub enum Channel {
    Webhook(webhook::Webhook),
    Slack(slack::Slack),
    Discord(discord::Discord),
    Feishu(feishu::Feishu),
    DingTalk(dingtalk::DingTalk),
    WeCom(wecom::WeCom),
    Telegram(telegram::Telegram),
    Ntfy(ntfy::Ntfy),
    Email(email::Email),
    Exec(exec::Exec),
    Log,
}

impl Channel {
    pub fn kind(&self) -> &'static str {
        match self {
            Channel::Webhook(_) => "webhook",
            Channel::Slack(_) => "slack",
            Channel::Discord(_) => "discord",
            Channel::Feishu(_) => "feishu",
            Channel::DingTalk(_) => "dingtalk",
            Channel::WeCom(_) => "wecom",
            Channel::Telegram(_) => "telegram",
            Channel::Ntfy(_) => "ntfy",
            Channel::Email(_) => "email",
            Channel::Exec(_) => "exec",
            Channel::Log => "log",
        }
    }

    /// How this channel shows a message: template and the room it has.
    pub fn style(&self) -> Style {
        let s = |template, text_limit, item_limit, max_bytes| Style {
            template,
            text_limit,
            item_limit,
            max_bytes,
        };
        match self {
            Channel::Webhook(_) => s("text", 2000, 200, 0),
            Channel::Slack(_) => s("slack", 1500, 150, 39_000),
            Channel::Discord(_) => s("markdown", 600, 80, 0),
            Channel::Feishu(_) => s("markdown", 2000, 150, 28_000),
            Channel::DingTalk(_) => s("markdown", 1500, 150, 19_000),
            Channel::WeCom(_) => s("text", 300, 40, wecom::MAX_BYTES),
            Channel::Telegram(_) => s("text", 1500, 150, 0),
            Channel::Ntfy(_) => s("text", 600, 80, ntfy::MAX_BYTES),
            Channel::Email(_) => s("text", 5000, 300, 0),
            Channel::Exec(_) => s("text", 2000, 200, 0),
            Channel::Log => s("text", 200, 60, 0),
        }
    }
}
