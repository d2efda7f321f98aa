//! The receipt as a real PDF: A4 pages drawn with `pdf-writer` in the standard Helvetica
//! fonts (WinAnsi encoding, so nothing is embedded and every reader can show and extract the
//! text). The same payment always gives the same bytes: no generation time is written.

use super::fonts::{Font, fit, width, win_ansi};
use chrono::{DateTime, FixedOffset};
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

/// What a receipt shows.
#[derive(Debug, Clone)]
pub struct Receipt {
    /// The ISP account's name, else its API Token.
    pub account: String,
    pub user_id: i64,
    pub customer_number: String,
    pub customer_name: Option<String>,
    pub payment_id: i64,
    /// In India time.
    pub paid_at: DateTime<FixedOffset>,
    /// Two decimals: `50.00`.
    pub amount: String,
    pub currency: String,
    /// `Cash`, `Cheque`, `Payment gateway`.
    pub method: &'static str,
    pub bank: Option<String>,
    pub gateway: Option<Gateway>,
    pub invoices: Vec<Invoice>,
}

/// The external payment log of a gateway payment.
#[derive(Debug, Clone)]
pub struct Gateway {
    pub operator: String,
    pub gateway_txn_id: String,
    pub merchant_txn_id: String,
}

#[derive(Debug, Clone)]
pub struct Invoice {
    pub invoice_id: i64,
    /// `yyyy-mm-dd`.
    pub date: String,
    pub amount: String,
}

const PAGE_WIDTH: f32 = 595.28;
const PAGE_HEIGHT: f32 = 841.89;
const LEFT: f32 = 56.0;
const RIGHT: f32 = PAGE_WIDTH - 56.0;
/// Table rows stop above the footer.
const BOTTOM: f32 = 84.0;
const ROW: f32 = 18.0;

type Rgb = (f32, f32, f32);
const BRAND: Rgb = (0.09, 0.29, 0.43);
const ON_BRAND: Rgb = (0.80, 0.88, 0.94);
const INK: Rgb = (0.10, 0.11, 0.13);
const MUTED: Rgb = (0.40, 0.43, 0.47);
const RULE: Rgb = (0.80, 0.83, 0.86);
const SHADE: Rgb = (0.94, 0.95, 0.97);
const WHITE: Rgb = (1.0, 1.0, 1.0);

/// Renders the receipt: one A4 page, more when the invoices do not fit.
pub fn render(receipt: &Receipt) -> Vec<u8> {
    let (first, mut y) = first_page(receipt);
    let mut pages = vec![first];
    let currency = receipt.currency.as_str();
    if receipt.invoices.is_empty() {
        let note = "No invoice is linked to this payment.";
        text(&mut pages[0], Font::Regular, 10.0, MUTED, LEFT, y, note);
    } else {
        table_header(&mut pages[0], y, currency);
        y -= ROW + 4.0;
        for (i, invoice) in receipt.invoices.iter().enumerate() {
            if y < BOTTOM {
                let (mut page, top) = continuation_page(receipt);
                table_header(&mut page, top, currency);
                pages.push(page);
                y = top - ROW - 4.0;
            }
            let page = pages.last_mut().expect("a page");
            invoice_row(page, y, invoice, i % 2 == 1);
            y -= ROW;
        }
    }
    let count = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        footer(page, receipt, i + 1, count);
    }
    assemble(receipt, pages)
}

/// The first page down to the invoice table; answers it and where the table starts.
fn first_page(r: &Receipt) -> (Content, f32) {
    let mut c = Content::new();
    let top = PAGE_HEIGHT;

    fill_rect(&mut c, BRAND, 0.0, top - 100.0, PAGE_WIDTH, 100.0);
    let title = fit(&r.account, Font::Bold, 20.0, RIGHT - LEFT - 150.0);
    text(&mut c, Font::Bold, 20.0, WHITE, LEFT, top - 52.0, &title);
    text(
        &mut c,
        Font::Regular,
        11.0,
        ON_BRAND,
        LEFT,
        top - 74.0,
        "Payment receipt",
    );
    text_right(
        &mut c,
        Font::Regular,
        9.0,
        ON_BRAND,
        RIGHT,
        top - 46.0,
        "Payment ID",
    );
    let id = r.payment_id.to_string();
    text_right(&mut c, Font::Bold, 18.0, WHITE, RIGHT, top - 68.0, &id);

    let amount = format!("{} {}", r.currency, r.amount);
    text(
        &mut c,
        Font::Regular,
        10.0,
        MUTED,
        LEFT,
        top - 136.0,
        "Amount received",
    );
    let shown = fit(&amount, Font::Bold, 26.0, RIGHT - LEFT - 200.0);
    text(&mut c, Font::Bold, 26.0, INK, LEFT, top - 166.0, &shown);
    let date = r.paid_at.format("%Y-%m-%d %H:%M:%S").to_string();
    text_right(
        &mut c,
        Font::Regular,
        10.0,
        MUTED,
        RIGHT,
        top - 136.0,
        "Paid on",
    );
    text_right(&mut c, Font::Bold, 13.0, INK, RIGHT, top - 155.0, &date);
    text_right(
        &mut c,
        Font::Regular,
        8.5,
        MUTED,
        RIGHT,
        top - 168.0,
        "India Standard Time (UTC+05:30)",
    );
    rule(&mut c, top - 190.0);

    let mut y = top - 218.0;
    text(&mut c, Font::Bold, 12.0, BRAND, LEFT, y, "Payment details");
    y -= 24.0;
    let mut rows: Vec<(&str, String)> = vec![
        ("Account", r.account.clone()),
        ("User ID", r.user_id.to_string()),
        ("Customer number", r.customer_number.clone()),
    ];
    if let Some(name) = r.customer_name.as_ref().filter(|n| !n.trim().is_empty()) {
        rows.push(("Customer name", name.clone()));
    }
    rows.push(("Payment ID", id));
    rows.push(("Date", format!("{date} IST")));
    rows.push(("Amount", amount));
    rows.push(("Method", r.method.to_string()));
    if let Some(bank) = r
        .bank
        .as_ref()
        .filter(|b| !b.trim().is_empty() && !b.eq_ignore_ascii_case(r.method))
    {
        rows.push(("Bank", bank.clone()));
    }
    if let Some(gateway) = &r.gateway {
        rows.push(("Gateway", gateway.operator.clone()));
        rows.push(("Gateway transaction ID", gateway.gateway_txn_id.clone()));
        rows.push(("Merchant transaction ID", gateway.merchant_txn_id.clone()));
    }
    let value_x = LEFT + 150.0;
    for (label, value) in rows {
        text(&mut c, Font::Regular, 10.0, MUTED, LEFT, y, label);
        let value = fit(&value, Font::Regular, 10.5, RIGHT - value_x);
        text(&mut c, Font::Regular, 10.5, INK, value_x, y, &value);
        y -= 19.0;
    }

    y -= 14.0;
    text(&mut c, Font::Bold, 12.0, BRAND, LEFT, y, "Invoices paid");
    (c, y - 26.0)
}

/// A further page for the invoices that did not fit; answers it and where the table starts.
fn continuation_page(r: &Receipt) -> (Content, f32) {
    let mut c = Content::new();
    let y = PAGE_HEIGHT - 60.0;
    let title = fit(&r.account, Font::Bold, 12.0, RIGHT - LEFT - 220.0);
    text(&mut c, Font::Bold, 12.0, BRAND, LEFT, y, &title);
    let heading = format!("Payment {} (continued)", r.payment_id);
    text_right(&mut c, Font::Regular, 10.0, MUTED, RIGHT, y, &heading);
    rule(&mut c, y - 12.0);
    text(
        &mut c,
        Font::Bold,
        12.0,
        BRAND,
        LEFT,
        y - 40.0,
        "Invoices paid",
    );
    (c, y - 66.0)
}

const COL_DATE: f32 = LEFT + 170.0;

fn table_header(c: &mut Content, y: f32, currency: &str) {
    fill_rect(c, SHADE, LEFT, y - 6.0, RIGHT - LEFT, 20.0);
    text(c, Font::Bold, 9.5, INK, LEFT + 8.0, y, "Invoice ID");
    text(c, Font::Bold, 9.5, INK, COL_DATE, y, "Invoice date");
    let amount = format!("Amount ({currency})");
    text_right(c, Font::Bold, 9.5, INK, RIGHT - 8.0, y, &amount);
}

fn invoice_row(c: &mut Content, y: f32, invoice: &Invoice, shaded: bool) {
    if shaded {
        fill_rect(c, (0.975, 0.98, 0.985), LEFT, y - 6.0, RIGHT - LEFT, ROW);
    }
    text(
        c,
        Font::Regular,
        10.0,
        INK,
        LEFT + 8.0,
        y,
        &invoice.invoice_id.to_string(),
    );
    text(c, Font::Regular, 10.0, INK, COL_DATE, y, &invoice.date);
    text_right(c, Font::Regular, 10.0, INK, RIGHT - 8.0, y, &invoice.amount);
}

fn footer(c: &mut Content, r: &Receipt, page: usize, count: usize) {
    rule(c, 58.0);
    let note = format!(
        "Sandbox receipt issued by paysandbox for {}. No real money has moved.",
        r.account
    );
    let note = fit(&note, Font::Regular, 8.0, RIGHT - LEFT - 70.0);
    text(c, Font::Regular, 8.0, MUTED, LEFT, 44.0, &note);
    text_right(
        c,
        Font::Regular,
        8.0,
        MUTED,
        RIGHT,
        44.0,
        &format!("Page {page} of {count}"),
    );
}

/// The document around the page contents: catalog, page tree, the two fonts, the info.
fn assemble(r: &Receipt, contents: Vec<Content>) -> Vec<u8> {
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let first_page = 6;
    let page_ids: Vec<Ref> = (0..contents.len())
        .map(|i| Ref::new(first_page + 2 * i as i32))
        .collect();

    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree).lang(TextStr("en-IN"));
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(page_ids.len() as i32);
    pdf.type1_font(regular)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.document_info(info)
        .title(TextStr(&format!("Payment receipt {}", r.payment_id)))
        .author(TextStr(&r.account))
        .subject(TextStr(&format!(
            "Payment {} of user {}",
            r.payment_id, r.user_id
        )))
        .creator(TextStr("paysandbox"))
        .producer(TextStr("paysandbox (pdf-writer)"));
    for (page_id, content) in page_ids.iter().zip(contents) {
        let content_id = Ref::new(page_id.get() + 1);
        let mut page = pdf.page(*page_id);
        page.parent(tree)
            .media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .contents(content_id);
        page.resources()
            .fonts()
            .pair(Font::Regular.resource(), regular)
            .pair(Font::Bold.resource(), bold);
        page.finish();
        pdf.stream(content_id, &content.finish());
    }
    pdf.finish()
}

fn text(c: &mut Content, font: Font, size: f32, color: Rgb, x: f32, y: f32, s: &str) {
    c.begin_text();
    c.set_fill_rgb(color.0, color.1, color.2);
    c.set_font(font.resource(), size);
    c.next_line(x, y);
    c.show(Str(&win_ansi(s)));
    c.end_text();
}

fn text_right(c: &mut Content, font: Font, size: f32, color: Rgb, right: f32, y: f32, s: &str) {
    text(c, font, size, color, right - width(font, s, size), y, s);
}

fn fill_rect(c: &mut Content, color: Rgb, x: f32, y: f32, w: f32, h: f32) {
    c.set_fill_rgb(color.0, color.1, color.2);
    c.rect(x, y, w, h);
    c.fill_nonzero();
}

fn rule(c: &mut Content, y: f32) {
    c.set_stroke_rgb(RULE.0, RULE.1, RULE.2);
    c.set_line_width(0.75);
    c.move_to(LEFT, y);
    c.line_to(RIGHT, y);
    c.stroke();
}
