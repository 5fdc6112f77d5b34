//! Bhubaneswar's 67 wards, by the localities that give each its everyday name.

use super::super::Tx;

/// Localities that give each ward its everyday name.
const WARD_NAMES: [&str; 67] = [
    "Patia",
    "Chandrasekharpur",
    "Sailashree Vihar",
    "Damana",
    "Nalco Nagar",
    "Jaydev Vihar",
    "Nayapalli",
    "Gajapati Nagar",
    "Sainik School",
    "Shastri Nagar",
    "Acharya Vihar",
    "Satya Nagar",
    "Saheed Nagar",
    "Bapuji Nagar",
    "Unit-1",
    "Unit-2",
    "Unit-3",
    "Unit-4",
    "Kharavela Nagar",
    "Ashok Nagar",
    "Master Canteen",
    "Station Square",
    "Bomikhal",
    "Rasulgarh",
    "Mancheswar",
    "Palasuni",
    "Kalpana",
    "Old Town",
    "Lingaraj",
    "Bhimatangi",
    "Kapileswar",
    "Laxmisagar",
    "Pokhariput",
    "Jharpada",
    "Sundarpada",
    "Aiginia",
    "Khandagiri",
    "Jagamara",
    "Baramunda",
    "Fire Station Colony",
    "Madhusudan Nagar",
    "Forest Park",
    "Bhoi Nagar",
    "Surya Nagar",
    "Keshari Nagar",
    "VSS Nagar",
    "IRC Village",
    "Jayadev Nagar",
    "Nuagaon",
    "Salia Sahi",
    "Gautam Nagar",
    "Rental Colony",
    "Cuttack Road",
    "Samantarapur",
    "Siripur",
    "Dumduma",
    "Gangapada",
    "Tamando",
    "Kalinga Nagar",
    "Sijua",
    "Patrapada",
    "Ghatikia",
    "Infocity",
    "Raghunathpur",
    "Sampur",
    "Kesura",
    "Naharkanta",
];

/// Each ward by its number (1–67) and name.
pub(super) async fn seed(tx: &mut Tx<'_>) -> anyhow::Result<()> {
    for (i, name) in WARD_NAMES.iter().enumerate() {
        sqlx::query("INSERT INTO wards (number, name) VALUES ($1, $2) ON CONFLICT (number) DO UPDATE SET name = EXCLUDED.name")
            .bind(i as i32 + 1)
            .bind(name)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
