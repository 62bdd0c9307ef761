//! One handler per user action. Handlers are the only code that combines
//! the API client, the store and the terminal (`ui`).

pub mod credits;
pub mod project;
pub mod status;
