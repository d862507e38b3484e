//! Names the pages show for codes: the categories in the reader's language.

use std::collections::HashMap;

use crate::domain::category::Category;
use crate::domain::page::PageRequest;
use crate::service::categories;

use super::page::{Desk, DeskError};

pub struct Categories {
    pub list: Vec<Category>,
    names: HashMap<String, String>,
}

impl Categories {
    pub async fn load(desk: &Desk) -> Result<Categories, DeskError> {
        let page = PageRequest {
            limit: PageRequest::<()>::MAX_LIMIT,
            position: None,
        };
        let list = categories::list(&desk.ctx, desk.subject, page).await?.items;
        let lang = desk.lang();
        let names = list.iter().map(|c| (c.code.clone(), c.name(lang).to_owned())).collect();
        Ok(Categories { list, names })
    }

    /// The categories as the options of a select or a list of checkboxes.
    pub fn choices(&self) -> Vec<minijinja::Value> {
        self.list
            .iter()
            .map(|c| minijinja::context! { value => c.code, label => self.name(&c.code) })
            .collect()
    }

    /// The category's name, or its code when it has none here.
    pub fn name(&self, code: &str) -> String {
        self.names.get(code).cloned().unwrap_or_else(|| code.to_owned())
    }
}
