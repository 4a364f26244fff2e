//! What each form sends, checked with the same rules the API applies (`shared::validate`) before
//! any request leaves the browser. Errors are keyed by the API's field names, so a refusal from
//! the server lands next to the same input as a refusal from here.

use chrono::NaiveDate;
use shared::{
    ValidationError,
    dto::{
        ChangeEmailRequest, ChangePasswordRequest, CreateInvitationRequest, CreateKeyRequest,
        CreateTaskRequest, Credentials, GenerateTextRequest, GrantCreditsRequest, OrgRole,
        PasswordResetConfirm, PasswordResetRequest, Scope, Task, TaskStatus, UpdateTaskRequest,
        time,
    },
    validate::{
        Email, GrantAmount, GrantNote, KeyLifetime, KeyName, KeyScopes, NewTask, OrgName, Password,
        Prompt, rate_limit, spend_limit, task_description, task_due_date, task_title,
    },
};
use yew::AttrValue;

use crate::api::ApiError;

/// Errors of one form: per field, plus one for the form as a whole.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormErrors {
    fields: Vec<(String, String)>,
    general: Option<String>,
}

impl FormErrors {
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.general.is_none()
    }

    /// The message for `field`, if it was refused.
    pub fn field(&self, field: &str) -> Option<AttrValue> {
        self.fields
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| AttrValue::from(capitalise(m)))
    }

    /// The message about the form as a whole.
    pub fn general(&self) -> Option<AttrValue> {
        self.general.as_deref().map(|m| capitalise(m).into())
    }

    fn push(&mut self, e: ValidationError) {
        self.fields.push((e.field.to_owned(), e.message));
    }

    /// Places an API error: next to its field when the form has that field, else on the form.
    pub fn from_api(error: &ApiError, form_fields: &[&str]) -> Self {
        match &error.field {
            Some(field) if form_fields.contains(&field.as_str()) => Self {
                fields: vec![(field.clone(), error.message.clone())],
                general: None,
            },
            _ => Self {
                fields: Vec::new(),
                general: Some(error.message.clone()),
            },
        }
    }
}

/// The API writes messages in lower case ("email is required"); a sentence reads better.
pub fn capitalise(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        // The messages are English: ASCII case, without Unicode's tables in the wasm.
        Some(first) => std::iter::once(first.to_ascii_uppercase())
            .chain(chars)
            .collect(),
        None => String::new(),
    }
}

fn collect<T>(errors: FormErrors, build: impl FnOnce() -> Option<T>) -> Result<T, FormErrors> {
    if errors.is_empty() {
        build().ok_or(errors)
    } else {
        Err(errors)
    }
}

/// Sign up: a valid email and a password that meets the policy (8 to 128 characters).
pub fn sign_up(email: &str, password: &str) -> Result<Credentials, FormErrors> {
    let mut errors = FormErrors::default();
    let email = Email::parse(email).map_err(|e| errors.push(e)).ok();
    let password = Password::parse(password, "password")
        .map_err(|e| errors.push(e))
        .ok();
    collect(errors, || {
        Some(Credentials {
            email: email?.into_inner(),
            password: password?.expose().to_owned(),
        })
    })
}

/// Sign in: a valid email and a non-empty password. The length policy is not applied: an
/// account's password is whatever it was set to, and the API answers the same for any mismatch.
pub fn sign_in(email: &str, password: &str) -> Result<Credentials, FormErrors> {
    let mut errors = FormErrors::default();
    let email = Email::parse(email).map_err(|e| errors.push(e)).ok();
    require_password(&mut errors, "password", password);
    collect(errors, || {
        Some(Credentials {
            email: email?.into_inner(),
            password: password.to_owned(),
        })
    })
}

/// Change password: the current one, a new one that meets the policy, typed twice alike.
pub fn change_password(
    current: Option<&str>,
    new: &str,
    confirm: &str,
    revoke_api_keys: bool,
) -> Result<ChangePasswordRequest, FormErrors> {
    let mut errors = FormErrors::default();
    // `None`: an account without a password sets its first one.
    if let Some(current) = current {
        require_password(&mut errors, "current_password", current);
    }
    check_new_password(&mut errors, new, confirm);
    collect(errors, || {
        Some(ChangePasswordRequest {
            current_password: current.map(str::to_owned),
            new_password: new.to_owned(),
            revoke_api_keys,
        })
    })
}

/// A new password (`new_password`) that meets the policy, typed twice alike (`confirm_password`).
fn check_new_password(errors: &mut FormErrors, new: &str, confirm: &str) {
    match Password::parse(new, "new_password") {
        Err(e) => errors.push(e),
        Ok(_) if new != confirm => errors.push(ValidationError::new(
            "confirm_password",
            "the passwords differ",
        )),
        Ok(_) => {}
    }
}

/// A password confirming who the user is: anything but empty (the server checks it).
fn require_password(errors: &mut FormErrors, field: &'static str, password: &str) {
    if password.is_empty() {
        let what = field.replace('_', " ");
        errors.push(ValidationError::new(field, format!("{what} is required")));
    }
}

/// Forgot password: the address to send the link to.
pub fn password_reset(email: &str) -> Result<PasswordResetRequest, FormErrors> {
    let mut errors = FormErrors::default();
    let email = Email::parse(email).map_err(|e| errors.push(e)).ok();
    collect(errors, || {
        Some(PasswordResetRequest {
            email: email?.into_inner(),
        })
    })
}

/// Reset password: the link's token, and a new password typed twice alike.
pub fn reset_password(
    token: &str,
    new: &str,
    confirm: &str,
) -> Result<PasswordResetConfirm, FormErrors> {
    let mut errors = FormErrors::default();
    check_new_password(&mut errors, new, confirm);
    collect(errors, || {
        Some(PasswordResetConfirm {
            token: token.to_owned(),
            new_password: new.to_owned(),
        })
    })
}

/// Change email: a valid address other than `current`, and the password. The fields are the
/// API's (`new_email`, `current_password`), so its refusals land next to the same inputs.
pub fn change_email(
    new_email: &str,
    password: &str,
    current: &str,
) -> Result<ChangeEmailRequest, FormErrors> {
    let mut errors = FormErrors::default();
    let new_email = Email::parse_new(new_email, current)
        .map_err(|e| errors.push(e))
        .ok();
    require_password(&mut errors, "current_password", password);
    collect(errors, || {
        Some(ChangeEmailRequest {
            new_email: new_email?.into_inner(),
            current_password: password.to_owned(),
        })
    })
}

/// The create-key form as typed: the lifetime in days, the limits in credits and the rate in
/// requests per minute are text, empty for none.
#[derive(Debug, Clone, Copy)]
pub struct NewKey<'a> {
    pub name: &'a str,
    pub scopes: &'a [Scope],
    pub expires_in_days: &'a str,
    pub spend_limit_daily: &'a str,
    pub spend_limit_monthly: &'a str,
    pub rate_limit_per_minute: &'a str,
    /// When the server asked for it again.
    pub password: Option<&'a str>,
}

pub fn create_key(form: &NewKey) -> Result<CreateKeyRequest, FormErrors> {
    let mut errors = FormErrors::default();
    let name = KeyName::parse(form.name).map_err(|e| errors.push(e)).ok();
    let scopes = KeyScopes::parse(Some(form.scopes))
        .map_err(|e| errors.push(e))
        .ok();
    let days = optional_number(form.expires_in_days, "expires_in_days")
        .and_then(|days| KeyLifetime::parse(days).map(KeyLifetime::days))
        .map_err(|e| errors.push(e))
        .ok();
    let mut limit = |text: &str, field| {
        optional_number(text, field)
            .and_then(|credits| spend_limit(credits, field))
            .map_err(|e| errors.push(e))
            .ok()
    };
    let daily = limit(form.spend_limit_daily, "spend_limit_daily");
    let monthly = limit(form.spend_limit_monthly, "spend_limit_monthly");
    let per_minute = optional_number(form.rate_limit_per_minute, "rate_limit_per_minute")
        .and_then(rate_limit)
        .map_err(|e| errors.push(e))
        .ok();
    if let Some(password) = form.password {
        require_password(&mut errors, "password", password);
    }
    collect(errors, || {
        Some(CreateKeyRequest {
            name: name?.into_inner(),
            scopes: Some(scopes?.into_inner()),
            expires_in_days: days?,
            spend_limit_daily: daily?,
            spend_limit_monthly: monthly?,
            rate_limit_per_minute: per_minute?,
            password: form.password.map(str::to_owned),
        })
    })
}

/// A whole number typed in a form, `None` when left empty.
fn optional_number(text: &str, field: &'static str) -> Result<Option<i64>, ValidationError> {
    match text.trim() {
        "" => Ok(None),
        number => number
            .parse()
            .map(Some)
            .map_err(|_| ValidationError::new(field, format!("{field} must be a whole number"))),
    }
}

pub fn generate_text(prompt: &str) -> Result<GenerateTextRequest, FormErrors> {
    let mut errors = FormErrors::default();
    let prompt = Prompt::parse(prompt).map_err(|e| errors.push(e)).ok();
    collect(errors, || {
        Some(GenerateTextRequest {
            prompt: prompt?.as_str().to_owned(),
        })
    })
}

/// Admin grant: a non-zero whole number within the API's bounds, and a reason.
pub fn grant_credits(amount: &str, reason: &str) -> Result<GrantCreditsRequest, FormErrors> {
    let mut errors = FormErrors::default();
    let amount = GrantAmount::parse_text(amount)
        .map_err(|e| errors.push(e))
        .ok();
    let note = GrantNote::parse(reason).map_err(|e| errors.push(e)).ok();
    collect(errors, || {
        Some(GrantCreditsRequest {
            amount: amount?.get(),
            reason: note?.into_inner(),
        })
    })
}

/// An organisation's name, new or changed (the API's field is `name`, in `CreateOrgRequest` and
/// `UpdateOrgRequest` alike).
pub fn org_name(name: &str) -> Result<String, FormErrors> {
    let mut errors = FormErrors::default();
    let name = OrgName::parse(name).map_err(|e| errors.push(e)).ok();
    collect(errors, || Some(name?.into_inner()))
}

/// An invitation: the address to send it to, and the role it gives.
pub fn invite(email: &str, role: OrgRole) -> Result<CreateInvitationRequest, FormErrors> {
    let mut errors = FormErrors::default();
    let email = Email::parse(email).map_err(|e| errors.push(e)).ok();
    collect(errors, || {
        Some(CreateInvitationRequest {
            email: email?.into_inner(),
            role,
        })
    })
}

/// The task form as typed: the due date as a date input gives it (`2026-12-31`), empty for none.
#[derive(Debug, Clone, Copy)]
pub struct TaskForm<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub status: TaskStatus,
    pub due_date: &'a str,
}

/// A new task, every field checked.
pub fn create_task(form: &TaskForm) -> Result<CreateTaskRequest, FormErrors> {
    let task = check_task(form)?;
    Ok(CreateTaskRequest {
        title: task.title,
        description: task.description,
        status: task.status,
        due_date: task.due_date,
    })
}

/// The edit of `task`: every field checked, only those that differ from it sent.
pub fn update_task(form: &TaskForm, task: &Task) -> Result<UpdateTaskRequest, FormErrors> {
    let new = check_task(form)?;
    Ok(UpdateTaskRequest {
        title: (new.title != task.title).then_some(new.title),
        description: (new.description != task.description).then_some(new.description),
        status: (new.status != task.status).then_some(new.status),
        due_date: (new.due_date != task.due_date).then_some(new.due_date),
    })
}

fn check_task(form: &TaskForm) -> Result<NewTask, FormErrors> {
    let mut errors = FormErrors::default();
    let title = task_title(form.title).map_err(|e| errors.push(e)).ok();
    let description = task_description(form.description)
        .map_err(|e| errors.push(e))
        .ok();
    let due_date = optional_date(form.due_date, "due_date")
        .and_then(|date| date.map(task_due_date).transpose())
        .map_err(|e| errors.push(e))
        .ok();
    collect(errors, || {
        Some(NewTask {
            title: title?,
            description: description?,
            status: form.status,
            due_date: due_date?,
        })
    })
}

/// A calendar date as `YYYY-MM-DD` (a date input's value), `None` when left empty.
fn optional_date(text: &str, field: &'static str) -> Result<Option<NaiveDate>, ValidationError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    time::parse_date(text)
        .map(Some)
        .ok_or_else(|| ValidationError::new(field, format!("{field} must be a date (YYYY-MM-DD)")))
}
