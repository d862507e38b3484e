use diesel::connection::SimpleConnection;

use crate::error::AppResult;
use crate::store::DbConnection;

/// The cheapest statement that proves the database answers.
pub fn ping(conn: &mut DbConnection) -> AppResult<()> {
    conn.batch_execute("SELECT 1")?;
    Ok(())
}
