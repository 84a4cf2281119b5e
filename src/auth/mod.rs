//! Who is asking: password hashing now; sessions, login and the request `Actor` come with the
//! identity issue.

pub mod password;
