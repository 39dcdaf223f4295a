//! The desktop designer (eframe/egui).
