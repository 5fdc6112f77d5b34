//! Demo data that reads like Bhubaneswar's real services, and a generator for UMANG scale
//! (2,039 services over 189 departments) for benchmarks. Both can run again without harm.

use domain::catalogue::{self, ApplyMode, ServiceForm, ServiceText};
use domain::db::new_id;
use domain::identity::{store as identity, Role};
use domain::Locale;
use sqlx::PgPool;
use uuid::Uuid;

/// (code, agency?, English, Odia, Hindi, English description)
const DEPARTMENTS: &[(&str, bool, &str, &str, &str, &str)] = &[
    ("bmc", false, "Bhubaneswar Municipal Corporation", "ଭୁବନେଶ୍ୱର ମହାନଗର ନିଗମ", "भुवनेश्वर नगर निगम", "Holding tax, trade licences, certificates, sanitation, streetlights and community halls."),
    ("bda", false, "Bhubaneswar Development Authority", "ଭୁବନେଶ୍ୱର ଉନ୍ନୟନ କର୍ତ୍ତୃପକ୍ଷ", "भुवनेश्वर विकास प्राधिकरण", "Building plans, occupancy and land use certificates, BDA parks and auditoriums."),
    ("crut", false, "Capital Region Urban Transport", "କ୍ୟାପିଟାଲ ରିଜନ ଅର୍ବାନ ଟ୍ରାନ୍ସପୋର୍ଟ", "कैपिटल रीजन अर्बन ट्रांसपोर्ट", "Mo Bus passes, Mo Cycle, routes and lost and found."),
    ("bscl", false, "Bhubaneswar Smart City Ltd", "ଭୁବନେଶ୍ୱର ସ୍ମାର୍ଟ ସିଟି ଲିମିଟେଡ୍", "भुवनेश्वर स्मार्ट सिटी लिमिटेड", "Smart parking, public Wi-Fi, kiosks and the Operations Centre."),
    ("police", true, "Odisha Police", "ଓଡ଼ିଶା ପୋଲିସ", "ओडिशा पुलिस", "Verification of tenants and employees, character certificates, lost articles and event permissions."),
    ("tpcodl", true, "TP Central Odisha Distribution Ltd", "ଟିପି ସେଣ୍ଟ୍ରାଲ ଓଡ଼ିଶା ଡିଷ୍ଟ୍ରିବ୍ୟୁସନ ଲିମିଟେଡ୍", "टीपी सेंट्रल ओडिशा डिस्ट्रीब्यूशन लिमिटेड", "Electricity bills, new connections and outage complaints."),
    ("watco", true, "Water Corporation of Odisha", "ୱାଟର କର୍ପୋରେସନ ଅଫ୍ ଓଡ଼ିଶା", "वाटर कॉर्पोरेशन ऑफ ओडिशा", "Water bills, new water and sewerage connections."),
    ("rto", true, "Regional Transport Office, Bhubaneswar", "ଆଞ୍ଚଳିକ ପରିବହନ କାର୍ଯ୍ୟାଳୟ, ଭୁବନେଶ୍ୱର", "क्षेत्रीय परिवहन कार्यालय, भुवनेश्वर", "Driving licences and vehicle registration."),
    ("passport", true, "Passport Seva", "ପାସପୋର୍ଟ ସେବା", "पासपोर्ट सेवा", "Guidance for passport applications at the Bhubaneswar Passport Seva Kendra."),
];

/// (slug, icon, English, Odia, Hindi)
const CATEGORIES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "bills-and-taxes",
        "₹",
        "Bills and taxes",
        "ବିଲ୍ ଓ କର",
        "बिल और कर",
    ),
    ("certificates", "📜", "Certificates", "ପ୍ରମାଣପତ୍ର", "प्रमाण पत्र"),
    (
        "licences-and-permits",
        "🪪",
        "Licences and permits",
        "ଲାଇସେନ୍ସ ଓ ଅନୁମତି",
        "लाइसेंस और अनुमति",
    ),
    (
        "buildings-and-land",
        "🏗",
        "Buildings and land",
        "ଗୃହ ଓ ଜମି",
        "भवन और भूमि",
    ),
    (
        "utilities",
        "💡",
        "Water and electricity",
        "ଜଳ ଓ ବିଦ୍ୟୁତ",
        "पानी और बिजली",
    ),
    ("transport", "🚌", "Transport", "ପରିବହନ", "परिवहन"),
    (
        "bookings",
        "🏛",
        "Halls and facilities",
        "ହଲ୍ ଓ ସୁବିଧା",
        "हॉल और सुविधाएँ",
    ),
    ("complaints", "📣", "Complaints", "ଅଭିଯୋଗ", "शिकायतें"),
    (
        "police-and-safety",
        "🛡",
        "Police and safety",
        "ପୋଲିସ ଓ ସୁରକ୍ଷା",
        "पुलिस और सुरक्षा",
    ),
];

/// (slug, icon, English, Odia, Hindi, English description)
const LIFE_EVENTS: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "new-baby",
        "👶",
        "A new baby",
        "ନୂଆ ଶିଶୁ",
        "नया शिशु",
        "Register the birth and get the certificate.",
    ),
    (
        "moving-house",
        "🏠",
        "Moving house",
        "ଘର ବଦଳ",
        "घर बदलना",
        "Water, electricity, tenant verification and holding tax at your new address.",
    ),
    (
        "starting-a-shop",
        "🏪",
        "Starting a shop",
        "ଦୋକାନ ଆରମ୍ଭ",
        "दुकान शुरू करना",
        "Trade licence, signboard and connections for a business.",
    ),
    (
        "building-a-home",
        "🧱",
        "Building a home",
        "ଘର ତିଆରି",
        "घर बनाना",
        "Plan approval, occupancy certificate and connections.",
    ),
    (
        "getting-married",
        "💍",
        "Getting married",
        "ବିବାହ",
        "विवाह",
        "Book a kalyan mandap and register the marriage.",
    ),
    (
        "loss-in-the-family",
        "🕯",
        "A death in the family",
        "ପରିବାରରେ ମୃତ୍ୟୁ",
        "परिवार में मृत्यु",
        "Death certificate and what follows.",
    ),
    (
        "turning-sixty",
        "🧓",
        "Turning sixty",
        "ଷାଠିଏ ବର୍ଷ",
        "साठ वर्ष",
        "Senior citizen concessions.",
    ),
];

struct Svc {
    slug: &'static str,
    dept: &'static str,
    cat: &'static str,
    fee: i64,
    varies: bool,
    days: i32,
    handoff: Option<&'static str>,
    pop: i32,
    events: &'static [&'static str],
    en: &'static str,
    or: &'static str,
    hi: &'static str,
    summary: &'static str,
    eligibility: &'static str,
    documents: &'static str,
    keywords: &'static str,
}

macro_rules! svc {
    ($slug:literal, $dept:literal, $cat:literal, $fee:expr, $varies:expr, $days:expr, $handoff:expr, $pop:expr, $events:expr,
     $en:literal, $or:literal, $hi:literal, $summary:literal, $elig:literal, $docs:literal, $kw:literal) => {
        Svc {
            slug: $slug,
            dept: $dept,
            cat: $cat,
            fee: $fee,
            varies: $varies,
            days: $days,
            handoff: $handoff,
            pop: $pop,
            events: $events,
            en: $en,
            or: $or,
            hi: $hi,
            summary: $summary,
            eligibility: $elig,
            documents: $docs,
            keywords: $kw,
        }
    };
}

const SERVICES: &[Svc] = &[
    svc!("holding-tax-payment", "bmc", "bills-and-taxes", 0, true, 0, None, 950, &["moving-house"],
        "Holding tax payment", "ହୋଲ୍ଡିଂ ଟ୍ୟାକ୍ସ ପେମେଣ୍ଟ", "होल्डिंग टैक्स भुगतान",
        "Look up your holding (property) tax by holding number and pay it online.", "Owners and occupiers of a holding within BMC limits.", "Holding number\nLast receipt (if any)", "property tax house tax municipal tax gharkar ଘର କର गृह कर संपत्ति कर"),
    svc!("holding-tax-assessment", "bmc", "bills-and-taxes", 0, false, 30, None, 300, &["moving-house", "building-a-home"],
        "New holding tax assessment", "ନୂଆ ହୋଲ୍ଡିଂ ଟ୍ୟାକ୍ସ ଆକଳନ", "नया होल्डिंग टैक्स निर्धारण",
        "Get a new building assessed for holding tax and receive a holding number.", "Owners of a newly built or bought property.", "Sale deed or record of rights\nOccupancy certificate\nAadhaar card", "property tax registration mutation"),
    svc!("birth-certificate", "bmc", "certificates", 0, false, 7, None, 900, &["new-baby"],
        "Birth certificate", "ଜନ୍ମ ପ୍ରମାଣପତ୍ର", "जन्म प्रमाण पत्र",
        "Register a birth and download the birth certificate.", "Parents of a child born in Bhubaneswar, within 21 days free of charge.", "Hospital discharge slip\nParents' Aadhaar cards\nMarriage certificate (optional)", "janma praman patra baby birth registration ଜନ୍ମ जन्म"),
    svc!("death-certificate", "bmc", "certificates", 0, false, 7, None, 600, &["loss-in-the-family"],
        "Death certificate", "ମୃତ୍ୟୁ ପ୍ରମାଣପତ୍ର", "मृत्यु प्रमाण पत्र",
        "Register a death and download the death certificate.", "A relative of a person who died in Bhubaneswar.", "Hospital or crematorium slip\nAadhaar card of the deceased\nApplicant's Aadhaar card", "mrutyu death registration"),
    svc!("trade-licence-new", "bmc", "licences-and-permits", 100000, false, 15, None, 700, &["starting-a-shop"],
        "Trade licence (new)", "ଟ୍ରେଡ୍ ଲାଇସେନ୍ସ (ନୂଆ)", "व्यापार लाइसेंस (नया)",
        "Licence to run a shop, restaurant or other trade within BMC limits.", "Any person or firm starting a trade in BMC limits.", "Proof of premises (rent deed or holding tax receipt)\nAadhaar card\nPhotograph\nNOC from fire service (for some trades)", "shop licence business licence dukan vyapar ଦୋକାନ दुकान"),
    svc!("trade-licence-renewal", "bmc", "licences-and-permits", 50000, false, 7, None, 650, &["starting-a-shop"],
        "Trade licence renewal", "ଟ୍ରେଡ୍ ଲାଇସେନ୍ସ ନବୀକରଣ", "व्यापार लाइसेंस नवीनीकरण",
        "Renew your trade licence before it expires on 31 March.", "Holders of a BMC trade licence.", "Current trade licence number", "shop licence renew"),
    svc!("kalyan-mandap-booking", "bmc", "bookings", 1500000, false, 0, None, 800, &["getting-married"],
        "Kalyan mandap booking", "କଲ୍ୟାଣ ମଣ୍ଡପ ବୁକିଂ", "कल्याण मंडप बुकिंग",
        "Book a BMC community hall for a wedding or function, by date and slot.", "Anyone; residents of Bhubaneswar get priority on weekends.", "Aadhaar card\nPurpose of booking", "community hall marriage hall wedding venue"),
    svc!("marriage-registration", "bmc", "certificates", 10000, false, 15, None, 500, &["getting-married"],
        "Marriage registration", "ବିବାହ ପଞ୍ଜୀକରଣ", "विवाह पंजीकरण",
        "Register a marriage and get the marriage certificate.", "Couples married in Bhubaneswar or living here.", "Wedding invitation or photograph\nAadhaar cards of both\nTwo witnesses with ID", "marriage certificate wedding"),
    svc!("streetlight-complaint", "bmc", "complaints", 0, false, 2, None, 850, &[],
        "Streetlight not working", "ଷ୍ଟ୍ରିଟ୍ ଲାଇଟ୍ ଜଳୁନାହିଁ", "स्ट्रीट लाइट खराब",
        "Report a streetlight that is off, flickering or on during the day.", "Anyone.", "Location or pole number", "street light lamp dark road"),
    svc!("garbage-complaint", "bmc", "complaints", 0, false, 1, None, 880, &[],
        "Garbage not collected", "ଅଳିଆ ଉଠାଯାଇନାହିଁ", "कचरा नहीं उठाया गया",
        "Report garbage left uncollected or an overflowing bin.", "Anyone.", "Location\nPhoto (optional)", "waste trash dustbin sanitation kachra ଅଳିଆ कचरा"),
    svc!("drain-complaint", "bmc", "complaints", 0, false, 3, None, 600, &[],
        "Blocked drain", "ବନ୍ଦ ନାଳ", "बंद नाली",
        "Report a blocked or overflowing drain.", "Anyone.", "Location\nPhoto (optional)", "drainage sewer nala waterlogging"),
    svc!("stray-animal-complaint", "bmc", "complaints", 0, false, 3, None, 400, &[],
        "Stray animal", "ବୁଲା ଜନ୍ତୁ", "आवारा पशु",
        "Report stray cattle or dogs causing danger.", "Anyone.", "Location", "dog cow cattle"),
    svc!("park-entry", "bmc", "bookings", 1000, false, 0, None, 200, &[],
        "Park entry and events", "ପାର୍କ ପ୍ରବେଶ", "पार्क प्रवेश",
        "Entry tickets and event permissions for BMC parks.", "Anyone.", "", "garden"),
    svc!("signboard-permission", "bmc", "licences-and-permits", 200000, true, 10, None, 350, &["starting-a-shop"],
        "Signboard and advertisement permission", "ସାଇନବୋର୍ଡ ଓ ବିଜ୍ଞାପନ ଅନୁମତି", "साइनबोर्ड और विज्ञापन अनुमति",
        "Permission to put up a shop signboard, hoarding or banner.", "Shop owners and advertisers in BMC limits.", "Trade licence\nSketch and size of the board\nOwner's consent for the wall or roof", "hoarding banner board advertisement"),
    svc!("water-tanker-request", "bmc", "utilities", 50000, false, 1, None, 300, &[],
        "Water tanker request", "ଜଳ ଟ୍ୟାଙ୍କର ଅନୁରୋଧ", "पानी टैंकर अनुरोध",
        "Ask for a drinking water tanker during a shortage or for a function.", "Residents of Bhubaneswar.", "Address and landmark\nDate needed", "tanker drinking water supply shortage"),
    svc!("building-plan-approval", "bda", "buildings-and-land", 0, true, 30, None, 550, &["building-a-home"],
        "Building plan approval", "ଗୃହ ନକ୍ସା ଅନୁମୋଦନ", "भवन नक्शा अनुमोदन",
        "Get approval of a building plan before construction.", "Owners of land within the BDA planning area.", "Record of rights\nBuilding plan by a registered architect\nStructural stability certificate", "house plan naksha construction permission"),
    svc!("occupancy-certificate", "bda", "buildings-and-land", 0, true, 30, None, 350, &["building-a-home"],
        "Occupancy certificate", "ଅକ୍ୟୁପାନ୍ସି ସାର୍ଟିଫିକେଟ୍", "अधिभोग प्रमाण पत्र",
        "Certificate that a completed building follows its approved plan and may be occupied.", "Owners of a building completed with an approved plan.", "Approved plan\nCompletion certificate by architect\nPhotographs", "completion certificate OC"),
    svc!("land-use-certificate", "bda", "buildings-and-land", 50000, false, 15, None, 250, &["building-a-home", "starting-a-shop"],
        "Land use certificate", "ଜମି ବ୍ୟବହାର ପ୍ରମାଣପତ୍ର", "भूमि उपयोग प्रमाण पत्र",
        "Certificate of the permitted use of a plot under the master plan.", "Anyone with a plot in the BDA area.", "Plot number and khata number\nRecord of rights", "zoning master plan"),
    svc!("bda-auditorium-booking", "bda", "bookings", 2500000, false, 0, None, 300, &["getting-married"],
        "BDA auditorium booking", "BDA ପ୍ରେକ୍ଷାଳୟ ବୁକିଂ", "BDA सभागार बुकिंग",
        "Book Rabindra Mandap or another BDA auditorium for an event.", "Anyone.", "Aadhaar card\nEvent details", "hall theatre venue"),
    svc!("bda-park-booking", "bda", "bookings", 300000, false, 0, None, 220, &["getting-married"],
        "BDA park booking for events", "BDA ପାର୍କ ବୁକିଂ", "BDA पार्क बुकिंग",
        "Book a BDA park such as Ekamra Kanan or Buddha Jayanti Park for a function or shoot.", "Anyone.", "Aadhaar card\nEvent details", "garden venue photo shoot function"),
    svc!("mo-bus-student-pass", "crut", "transport", 20000, false, 3, None, 700, &[],
        "Mo Bus student pass", "ମୋ ବସ୍ ଛାତ୍ର ପାସ୍", "मो बस छात्र पास",
        "Monthly concession pass on Mo Bus for students.", "Students of recognised schools and colleges.", "Student ID card\nPhotograph", "bus pass concession student"),
    svc!("mo-bus-senior-pass", "crut", "transport", 10000, false, 3, None, 450, &["turning-sixty"],
        "Mo Bus senior citizen pass", "ମୋ ବସ୍ ବରିଷ୍ଠ ନାଗରିକ ପାସ୍", "मो बस वरिष्ठ नागरिक पास",
        "Concession pass on Mo Bus for citizens aged 60 and above.", "Citizens aged 60 or more.", "Proof of age\nPhotograph", "bus pass old age elderly"),
    svc!("mo-bus-routes", "crut", "transport", 0, false, 0, None, 500, &["moving-house"],
        "Mo Bus routes and timings", "ମୋ ବସ୍ ମାର୍ଗ ଓ ସମୟ", "मो बस मार्ग और समय",
        "Find Mo Bus routes, stops and timings.", "Anyone.", "", "bus route timetable"),
    svc!("mo-cycle", "crut", "transport", 0, true, 0, None, 300, &[],
        "Mo Cycle membership", "ମୋ ସାଇକେଲ୍ ସଦସ୍ୟତା", "मो साइकिल सदस्यता",
        "Join the public bicycle sharing scheme.", "Anyone with a mobile number.", "Aadhaar card", "bicycle share cycle"),
    svc!("lost-and-found-bus", "crut", "transport", 0, false, 2, None, 200, &[],
        "Lost and found on Mo Bus", "ମୋ ବସ୍‌ରେ ହଜିଲା ଜିନିଷ", "मो बस में खोया सामान",
        "Report something lost on a Mo Bus or claim something found.", "Anyone.", "Bus number and date", "lost item"),
    svc!("smart-parking", "bscl", "transport", 0, true, 0, None, 400, &[],
        "Smart parking", "ସ୍ମାର୍ଟ ପାର୍କିଂ", "स्मार्ट पार्किंग",
        "Find and pay for parking at smart parking lots.", "Anyone.", "Vehicle number", "car park vehicle parking"),
    svc!("public-wifi", "bscl", "utilities", 0, false, 0, None, 250, &[],
        "Public Wi-Fi", "ସର୍ବସାଧାରଣ ୱାଇ-ଫାଇ", "सार्वजनिक वाई-फाई",
        "Sign up for free public Wi-Fi hotspots in the city.", "Anyone with a mobile number.", "", "internet hotspot"),
    svc!("tenant-verification", "police", "police-and-safety", 0, false, 10, Some("https://citizenportal.odishapolice.gov.in/"), 500, &["moving-house"],
        "Tenant verification", "ଭଡ଼ାଟିଆ ଯାଞ୍ଚ", "किरायेदार सत्यापन",
        "Police verification of a tenant before letting a house.", "House owners letting to a tenant.", "Tenant's Aadhaar card\nRent agreement\nPhotograph of tenant", "police verification renter kirayedar"),
    svc!("employee-verification", "police", "police-and-safety", 0, false, 10, Some("https://citizenportal.odishapolice.gov.in/"), 300, &["starting-a-shop"],
        "Employee and domestic help verification", "କର୍ମଚାରୀ ଯାଞ୍ଚ", "कर्मचारी सत्यापन",
        "Police verification of an employee, driver or domestic help.", "Employers.", "Employee's Aadhaar card\nPhotograph", "servant maid driver"),
    svc!("character-certificate", "police", "certificates", 0, false, 15, Some("https://citizenportal.odishapolice.gov.in/"), 400, &[],
        "Character certificate", "ଚରିତ୍ର ପ୍ରମାଣପତ୍ର", "चरित्र प्रमाण पत्र",
        "Police clearance certificate for jobs and studies.", "Residents of Odisha.", "Aadhaar card\nPhotograph\nProof of address", "police clearance PCC conduct"),
    svc!("lost-article-report", "police", "police-and-safety", 0, false, 0, Some("https://citizenportal.odishapolice.gov.in/"), 450, &[],
        "Lost article report", "ହଜିଲା ଜିନିଷ ରିପୋର୍ଟ", "खोई वस्तु की रिपोर्ट",
        "Report a lost phone, document or other article and get a report number.", "Anyone.", "Description of the article\nID proof", "lost phone lost document"),
    svc!("event-permission", "police", "licences-and-permits", 0, false, 7, Some("https://citizenportal.odishapolice.gov.in/"), 200, &["getting-married"],
        "Permission for an event or procession", "କାର୍ଯ୍ୟକ୍ରମ ଅନୁମତି", "कार्यक्रम की अनुमति",
        "Police permission for a public event, procession or loudspeaker.", "Organisers of public events.", "Event details\nID proof of organiser", "loudspeaker rally procession"),
    svc!("electricity-bill-payment", "tpcodl", "utilities", 0, true, 0, None, 1000, &["moving-house"],
        "Electricity bill payment", "ବିଦ୍ୟୁତ ବିଲ୍ ପେମେଣ୍ଟ", "बिजली बिल भुगतान",
        "Look up your TPCODL electricity bill by consumer number and pay it.", "TPCODL consumers.", "Consumer number", "power bill current bill ବିଦ୍ୟୁତ ବିଜୁଳି बिजली"),
    svc!("electricity-new-connection", "tpcodl", "utilities", 0, true, 15, None, 450, &["moving-house", "building-a-home", "starting-a-shop"],
        "New electricity connection", "ନୂଆ ବିଦ୍ୟୁତ ସଂଯୋଗ", "नया बिजली कनेक्शन",
        "Apply for a new domestic or commercial electricity connection.", "Owners or occupiers of premises.", "Proof of ownership or rent deed\nAadhaar card\nPhotograph", "power connection meter"),
    svc!("power-outage-complaint", "tpcodl", "complaints", 0, false, 1, None, 700, &[],
        "Power outage complaint", "ବିଦ୍ୟୁତ ବିଭ୍ରାଟ ଅଭିଯୋଗ", "बिजली कटौती की शिकायत",
        "Report a power cut, sparking wire or damaged pole.", "Anyone.", "Consumer number or location", "no power current gone blackout"),
    svc!("water-bill-payment", "watco", "utilities", 0, true, 0, None, 980, &["moving-house"],
        "Water bill payment", "ଜଳ ବିଲ୍ ପେମେଣ୍ଟ", "पानी का बिल भुगतान",
        "Look up your WATCO water bill by consumer number and pay it.", "WATCO consumers.", "Consumer number", "water tax paani ପାଣି पानी जल"),
    svc!("water-new-connection", "watco", "utilities", 0, true, 15, None, 420, &["moving-house", "building-a-home"],
        "New water connection", "ନୂଆ ଜଳ ସଂଯୋଗ", "नया पानी कनेक्शन",
        "Apply for a new drinking water connection.", "Owners or occupiers of premises.", "Holding tax receipt\nAadhaar card", "tap connection drinking water"),
    svc!("sewerage-connection", "watco", "utilities", 0, true, 15, None, 250, &["building-a-home"],
        "Sewerage connection", "ସ୍ୱରେଜ୍ ସଂଯୋଗ", "सीवरेज कनेक्शन",
        "Apply to connect your premises to the city sewer.", "Owners of premises on a sewered road.", "Holding tax receipt\nBuilding plan", "sewer drainage toilet"),
    svc!("driving-licence-renewal", "rto", "transport", 40000, false, 30, Some("https://parivahan.gov.in/"), 500, &["turning-sixty"],
        "Driving licence renewal", "ଡ୍ରାଇଭିଂ ଲାଇସେନ୍ସ ନବୀକରଣ", "ड्राइविंग लाइसेंस नवीनीकरण",
        "Renew a driving licence that has expired or is about to.", "Holders of a driving licence.", "Current licence\nMedical certificate (over 40)\nPhotograph", "DL renew licence"),
    svc!("vehicle-ownership-transfer", "rto", "transport", 30000, false, 30, Some("https://parivahan.gov.in/"), 350, &[],
        "Transfer of vehicle ownership", "ଗାଡ଼ି ମାଲିକାନା ହସ୍ତାନ୍ତର", "वाहन स्वामित्व हस्तांतरण",
        "Transfer a vehicle's registration to its new owner.", "Buyers and sellers of a registered vehicle.", "Registration certificate\nInsurance\nPollution certificate\nForm 29 and 30", "RC transfer car bike sale"),
    svc!("passport-guidance", "passport", "certificates", 150000, false, 30, Some("https://www.passportindia.gov.in/"), 450, &[],
        "Passport application guidance", "ପାସପୋର୍ଟ ଆବେଦନ ମାର୍ଗଦର୍ଶନ", "पासपोर्ट आवेदन मार्गदर्शन",
        "What to prepare before applying for a passport at Passport Seva Kendra Bhubaneswar.", "Indian citizens.", "Aadhaar card\nProof of date of birth\nProof of address", "passport seva PSK"),
];

const SYNONYMS: &[(&str, &str)] = &[
    ("light bill", "electricity bill"),
    ("current bill", "electricity bill"),
    ("bijli", "electricity"),
    ("bijli bill", "electricity bill"),
    ("बिजली", "electricity"),
    ("ବିଜୁଳି", "electricity"),
    ("paani", "water"),
    ("pani", "water"),
    ("पानी", "water"),
    ("ପାଣି", "water"),
    ("house tax", "holding tax"),
    ("property tax", "holding tax"),
    ("shop licence", "trade licence"),
    ("shop license", "trade licence"),
    ("license", "licence"),
    ("marriage hall", "kalyan mandap"),
    ("community hall", "kalyan mandap"),
    ("dl", "driving licence"),
    ("rc", "vehicle registration"),
    ("bus pass", "mo bus pass"),
];

pub const DEMO_PASSWORD: &str = "mango river kite lamp";

type Tx<'a> = sqlx::Transaction<'a, sqlx::Postgres>;

/// Inserts or updates the names (and descriptions, where the table has them) of one row of a
/// catalogue table in the three languages. Table names are this file's constants, never input.
async fn upsert_names(
    tx: &mut Tx<'_>,
    table: &str,
    key: &str,
    id: Uuid,
    names: [(&str, &str, &str); 3],
) -> anyhow::Result<()> {
    let with_description = table != "category_translations";
    for (locale, name, description) in names {
        let sql = if with_description {
            format!(
                "INSERT INTO {table} ({key}, locale, name, description) VALUES ($1, $2, $3, $4)
                 ON CONFLICT ({key}, locale) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description"
            )
        } else {
            format!(
                "INSERT INTO {table} ({key}, locale, name) VALUES ($1, $2, $3)
                 ON CONFLICT ({key}, locale) DO UPDATE SET name = EXCLUDED.name"
            )
        };
        let query = sqlx::query(&sql).bind(id).bind(locale).bind(name);
        let query = if with_description {
            query.bind(description)
        } else {
            query
        };
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// A category or life event: slug, icon, place in the list.
async fn upsert_topic(
    tx: &mut Tx<'_>,
    table: &str,
    slug: &str,
    icon: &str,
    position: usize,
) -> anyhow::Result<Uuid> {
    let id = sqlx::query_scalar(&format!(
        "INSERT INTO {table} (id, slug, icon, position) VALUES ($1, $2, $3, $4)
         ON CONFLICT (slug) DO UPDATE SET icon = EXCLUDED.icon, position = EXCLUDED.position RETURNING id"
    ))
    .bind(new_id())
    .bind(slug)
    .bind(icon)
    .bind(position as i32)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

pub async fn demo(pool: &PgPool) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    for (code, agency, en, or, hi, description) in DEPARTMENTS {
        let id: Uuid = sqlx::query_scalar(
            "INSERT INTO departments (id, code, is_agency) VALUES ($1, $2, $3)
             ON CONFLICT (code) DO UPDATE SET is_agency = EXCLUDED.is_agency RETURNING id",
        )
        .bind(new_id())
        .bind(code)
        .bind(agency)
        .fetch_one(&mut *tx)
        .await?;
        upsert_names(
            &mut tx,
            "department_translations",
            "department_id",
            id,
            [("en", en, description), ("or", or, ""), ("hi", hi, "")],
        )
        .await?;
    }
    for (i, (slug, icon, en, or, hi)) in CATEGORIES.iter().enumerate() {
        let id = upsert_topic(&mut tx, "categories", slug, icon, i).await?;
        upsert_names(
            &mut tx,
            "category_translations",
            "category_id",
            id,
            [("en", en, ""), ("or", or, ""), ("hi", hi, "")],
        )
        .await?;
    }
    for (i, (slug, icon, en, or, hi, description)) in LIFE_EVENTS.iter().enumerate() {
        let id = upsert_topic(&mut tx, "life_events", slug, icon, i).await?;
        upsert_names(
            &mut tx,
            "life_event_translations",
            "life_event_id",
            id,
            [("en", en, description), ("or", or, ""), ("hi", hi, "")],
        )
        .await?;
    }
    for (phrase, means) in SYNONYMS {
        sqlx::query("INSERT INTO search_synonyms (phrase, means) VALUES ($1, $2) ON CONFLICT (phrase) DO UPDATE SET means = EXCLUDED.means")
            .bind(phrase)
            .bind(means)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;

    for s in SERVICES {
        let department_id = domain::departments::store::id_by_code(pool, s.dept)
            .await?
            .expect("seeded department");
        let text = |locale, name: &str, english: bool| ServiceText {
            locale,
            name: name.to_string(),
            summary: if english {
                s.summary.to_string()
            } else {
                String::new()
            },
            eligibility: if english {
                s.eligibility.to_string()
            } else {
                String::new()
            },
            documents: if english {
                s.documents.to_string()
            } else {
                String::new()
            },
            how_to_apply: String::new(),
            keywords: if english {
                s.keywords.to_string()
            } else {
                String::new()
            },
        };
        catalogue::save_service(
            pool,
            &ServiceForm {
                slug: s.slug.to_string(),
                department_id,
                category_slug: s.cat.to_string(),
                fee_paise: s.fee,
                fee_varies: s.varies,
                days_to_deliver: s.days,
                apply_mode: if s.handoff.is_some() {
                    ApplyMode::Handoff
                } else {
                    ApplyMode::InApp
                },
                handoff_url: s.handoff.map(String::from),
                popularity: s.pop,
                published: true,
                life_events: s.events.iter().map(|e| e.to_string()).collect(),
                texts: vec![
                    text(Locale::En, s.en, true),
                    text(Locale::Or, s.or, false),
                    text(Locale::Hi, s.hi, false),
                ],
            },
        )
        .await?;
    }

    crate::seed_grievances::seed(pool).await?;
    let bmc = domain::departments::store::id_by_code(pool, "bmc").await?;
    let mut accounts = vec![
        ("Anita Mohanty", "9000000001", Role::CityAdmin, None),
        ("Bikash Nayak", "9000000002", Role::DepartmentAdmin, bmc),
        ("Chitra Das", "9000000003", Role::Official, bmc),
        ("Deepak Sahu", "9000000004", Role::Citizen, None),
    ];
    for (name, mobile, department, _) in crate::seed_grievances::GRIEVANCE_STAFF {
        let department = domain::departments::store::id_by_code(pool, department).await?;
        accounts.push((name, mobile, Role::Official, department));
    }
    println!("demo accounts (password: {DEMO_PASSWORD}):");
    for (name, mobile, role, department_id) in accounts {
        let existing: Option<String> =
            sqlx::query_scalar("SELECT citizen_id FROM users WHERE mobile = $1")
                .bind(mobile)
                .fetch_optional(pool)
                .await?;
        let citizen_id = match existing {
            Some(id) => domain::identity::CitizenId::parse(&id)
                .map(|c| c.to_string())
                .unwrap_or(id),
            None => {
                let form = identity::StaffForm {
                    name: name.into(),
                    mobile: mobile.into(),
                    email: String::new(),
                    password: DEMO_PASSWORD.into(),
                    role,
                    department_id,
                };
                match identity::create_account(pool, form).await {
                    Ok(new) => new.citizen_id.to_string(),
                    Err(e) => anyhow::bail!("demo account {mobile}: {e:?}"),
                }
            }
        };
        println!(
            "  {:<17} {name:<14} mobile {mobile}  citizen id {citizen_id}",
            role.as_str()
        );
    }
    crate::seed_grievances::seed_routes(pool).await?;
    Ok(())
}

/// UMANG's scale: 2,039 services over 189 departments, with names built from real service words
/// so that search has realistic work to do.
pub async fn umang_scale(pool: &PgPool) -> anyhow::Result<()> {
    demo(pool).await?;
    const DEPTS: usize = 189;
    const SERVICES_TOTAL: usize = 2039;
    let subjects = [
        "birth",
        "death",
        "marriage",
        "income",
        "caste",
        "residence",
        "trade",
        "building",
        "water",
        "electricity",
        "property",
        "vehicle",
        "pension",
        "scholarship",
        "ration",
        "land",
        "fishing",
        "mining",
        "forest",
        "labour",
        "pollution",
        "fire safety",
        "hospital",
        "school",
        "shop",
        "factory",
        "tourism",
        "hostel",
        "bus",
        "parking",
    ];
    let actions = [
        "certificate",
        "licence",
        "registration",
        "renewal",
        "permit",
        "bill payment",
        "connection",
        "complaint",
        "verification",
        "approval",
        "subsidy",
        "grievance",
        "booking",
        "status",
    ];
    let states = [
        "Odisha",
        "Central",
        "District",
        "Municipal",
        "Rural",
        "Urban",
        "State",
    ];
    let category_slugs: Vec<&str> = CATEGORIES.iter().map(|c| c.0).collect();
    let mut tx = pool.begin().await?;
    let mut dept_ids = Vec::with_capacity(DEPTS);
    for d in 0..DEPTS {
        let code = format!("umang-{d:03}");
        let name = format!(
            "{} Department of {} {}",
            states[d % states.len()],
            subjects[d % subjects.len()],
            d
        );
        let id: Uuid = sqlx::query_scalar(
            "INSERT INTO departments (id, code, is_agency) VALUES ($1, $2, true)
             ON CONFLICT (code) DO UPDATE SET is_agency = true RETURNING id",
        )
        .bind(new_id())
        .bind(&code)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO department_translations (department_id, locale, name) VALUES ($1, 'en', $2)
             ON CONFLICT (department_id, locale) DO NOTHING",
        )
        .bind(id)
        .bind(&name)
        .execute(&mut *tx)
        .await?;
        dept_ids.push(id);
    }
    let existing: i64 = sqlx::query_scalar("SELECT count(*) FROM services")
        .fetch_one(&mut *tx)
        .await?;
    let to_make = SERVICES_TOTAL.saturating_sub(existing as usize);
    let (mut ids, mut slugs, mut depts, mut cats, mut names, mut pops) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    for i in 0..to_make {
        let subject = subjects[(i * 7) % subjects.len()];
        let action = actions[(i * 3) % actions.len()];
        let state = states[i % states.len()];
        ids.push(new_id());
        slugs.push(format!("umang-{i:04}"));
        depts.push(dept_ids[i % DEPTS]);
        cats.push(category_slugs[i % category_slugs.len()].to_string());
        names.push(format!("{state} {subject} {action} {i}"));
        pops.push((i % 97) as i32);
    }
    sqlx::query(
        "INSERT INTO services (id, slug, department_id, category_id, popularity)
         SELECT x.id, x.slug, x.dept, c.id, x.pop
         FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::int[]) AS x(id, slug, dept, cat, pop)
         JOIN categories c ON c.slug = x.cat
         ON CONFLICT (slug) DO NOTHING",
    )
    .bind(&ids)
    .bind(&slugs)
    .bind(&depts)
    .bind(&cats)
    .bind(&pops)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO service_translations (service_id, locale, name, summary)
         SELECT x.id, 'en', x.name, 'Apply for ' || x.name || ' online and follow it to delivery.'
         FROM unnest($1::uuid[], $2::text[]) AS x(id, name)
         WHERE EXISTS (SELECT 1 FROM services s WHERE s.id = x.id)
         ON CONFLICT DO NOTHING",
    )
    .bind(&ids)
    .bind(&names)
    .execute(&mut *tx)
    .await?;
    catalogue::refresh_search_text(&mut tx, None).await?;
    tx.commit().await?;
    // After a bulk load the planner's statistics are stale until autovacuum comes round.
    sqlx::query("VACUUM ANALYZE").execute(pool).await?;
    let (services, departments): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM services), (SELECT count(*) FROM departments)",
    )
    .fetch_one(pool)
    .await?;
    println!("catalogue at UMANG scale: {services} services, {departments} departments");
    Ok(())
}
