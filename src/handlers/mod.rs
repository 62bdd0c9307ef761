//! One handler per user action. Handlers are the only code that combines
//! the API client, the store and the terminal (`ui`).

pub mod chat;
pub mod credits;
pub mod export;
pub mod line;
pub mod make;
pub mod project;
pub mod publish;
pub mod serve;
pub mod status;
pub mod storyboard;
pub mod upload;
