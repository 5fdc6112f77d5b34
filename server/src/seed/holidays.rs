//! The holidays the demo city keeps: the fixed-date national and Odisha holidays of this year and
//! the next (festivals that move with the moon are the city admin's to add each year).

use domain::applications::form::Words;
use sqlx::PgPool;

const FIXED: [(u8, u8, &str, &str, &str); 5] = [
    (1, 26, "Republic Day", "ସାଧାରଣତନ୍ତ୍ର ଦିବସ", "गणतंत्र दिवस"),
    (4, 1, "Utkal Divas (Odisha Day)", "ଉତ୍କଳ ଦିବସ", "उत्कल दिवस"),
    (8, 15, "Independence Day", "ସ୍ୱାଧୀନତା ଦିବସ", "स्वतंत्रता दिवस"),
    (10, 2, "Gandhi Jayanti", "ଗାନ୍ଧୀ ଜୟନ୍ତୀ", "गांधी जयंती"),
    (12, 25, "Christmas", "ଖ୍ରୀଷ୍ଟମାସ", "क्रिसमस"),
];

pub(super) async fn seed(pool: &PgPool) -> anyhow::Result<()> {
    let this_year = time::OffsetDateTime::now_utc().year();
    for year in [this_year, this_year + 1] {
        for (month, day, en, or, hi) in FIXED {
            let name = Words {
                en: en.into(),
                or: or.into(),
                hi: hi.into(),
            };
            domain::applications::store::keep_holiday(
                pool,
                &format!("{year:04}-{month:02}-{day:02}"),
                &name,
                None,
            )
            .await
            .map_err(|e| anyhow::anyhow!("the demo holiday {en} {year}: {e:?}"))?;
        }
    }
    Ok(())
}
